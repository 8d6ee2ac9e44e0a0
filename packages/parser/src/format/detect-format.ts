import { SEVERITIES } from '../readers/pg-prefix';
import type { LogFormat } from './log-format';

export interface DetectedFormat {
  readonly format: LogFormat;
  /** Why, in words, for the "detected …" message. */
  readonly reason: string;
}

const PG_MESSAGE = new RegExp(`(?:^|[\\s:\\]|>])(?:${SEVERITIES}):  ?\\S`);
const PG_CSV = /^"?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Za-z0-9+-]+)?"?,("[^"]*"|[^,]*),/;
const SYSLOG = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ [\w.-]+\[\d+\]: \[\d+-\d+\] /;
const MYSQL_GENERAL =
  /^(?:\d{6} [ \d]\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)|\t)\s*\d+ (?:Query|Connect|Quit|Init DB|Prepare|Execute|Close stmt|Field List|Statistics|Ping|Change user|Binlog Dump|Register Slave|Refresh|Shutdown|Kill|Sleep|Set option|Reset stmt|Fetch|Long Data|Daemon|Debug|Processlist|Connect Out|Table Dump|Time|Delayed insert|Error)\b/;
const MYSQL_SLOW = /^# (?:Time: |User@Host: |Query_time: |Thread_id: )/;
const SQL_START = /^\s*(?:select|insert|update|delete|create|alter|drop|with|begin|commit|set|copy|grant|values|explain|truncate|\\|--|\/\*)/i;

/**
 * Guesses the format from the first lines (and the file name for `.sql`). Returns undefined when
 * nothing fits, so the caller can say so instead of parsing garbage.
 */
export function detectFormat(lines: readonly string[], name: string): DetectedFormat | undefined {
  const all = lines.filter((l) => l.trim().length > 0).slice(0, 400);
  // Indented lines continue multi-line messages: they say nothing about the format.
  if (all.length === 0) return undefined;
  let sample = all.filter((l) => l.charCodeAt(0) !== 9 && l.charCodeAt(0) !== 32);
  if (sample.length === 0) sample = all;
  const count = (re: RegExp) => sample.reduce((n, l) => n + (re.test(l) ? 1 : 0), 0);
  const json = sample.filter((l) => l.startsWith('{'));
  if (json.length >= sample.length * 0.8) {
    const first = json[0]!;
    if (first.includes('"$trace"') || (first.includes('"session"') && first.includes('"sql"'))) return undefined;
    if (first.includes('"error_severity"') || first.includes('"textPayload"') || first.includes('"record"')) {
      return {
        format: 'pg-json',
        reason: first.includes('"textPayload"')
          ? 'Cloud Logging JSON with PostgreSQL text payloads'
          : first.includes('"record"')
            ? 'CloudNativePG JSON records'
            : 'PostgreSQL jsonlog records',
      };
    }
  }
  const slow = count(MYSQL_SLOW);
  if (slow >= 2 || (slow === 1 && sample.length <= 3)) return { format: 'mysql-slow', reason: '`# Time:` / `# Query_time:` headers of a MySQL slow log' };
  const general = all.reduce((n, l) => n + (MYSQL_GENERAL.test(l) ? 1 : 0), 0);
  if (general >= Math.max(1, sample.length * 0.3) || (general > 0 && sample.some((l) => l.startsWith('Time                 Id Command')))) {
    return { format: 'mysql-general', reason: '`<time> <id> <Command> <argument>` lines of a MySQL general log' };
  }
  const csv = count(PG_CSV);
  if (csv >= sample.length * 0.5 && sample.some((l) => /,(?:LOG|ERROR|FATAL|WARNING|PANIC),/.test(l))) {
    return { format: 'pg-csv', reason: 'comma-separated records with a severity column (csvlog)' };
  }
  const syslog = count(SYSLOG);
  if (syslog >= sample.length * 0.5) return { format: 'pg-stderr', reason: 'syslog-wrapped PostgreSQL lines' };
  const pg = count(PG_MESSAGE);
  if (pg >= Math.max(1, sample.length * 0.2)) return { format: 'pg-stderr', reason: '`<prefix> LOG:  …` lines of a PostgreSQL stderr log' };
  if (/\.sql(\.gz|\.bz2)?$/i.test(name) || count(SQL_START) >= sample.length * 0.3) {
    return { format: 'sql', reason: 'SQL statements' };
  }
  return undefined;
}
