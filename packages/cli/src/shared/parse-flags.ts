import { Flags } from '@oclif/core';
import { LOG_FORMATS } from '@sqltrace/parser';

/** Flags shared by commands that read raw logs. */
export const logInputFlags = {
  format: Flags.string({
    char: 'f',
    summary: 'Input format.',
    description: 'auto detects it from the first lines and says what it picked.',
    options: ['auto', ...LOG_FORMATS],
    default: 'auto',
  }),
  dialect: Flags.string({
    summary: 'SQL dialect of a `sql` file (logs imply theirs).',
    options: ['postgres', 'mysql', 'sqlite'],
  }),
  prefix: Flags.string({
    summary: "The server's log_line_prefix, for PostgreSQL stderr logs.",
    description: "Detected automatically for the common ones (e.g. '%m [%p] ', '%t [%p]: [%l-1] user=%u,db=%d ', RDS, '%m|%u|%d|%c|').",
  }),
  'time-zone': Flags.string({
    summary: 'UTC offset for timestamps printed without a zone, e.g. +02:00.',
  }),
  year: Flags.integer({ summary: 'Year for syslog timestamps, which have none (default: this year).' }),
};
