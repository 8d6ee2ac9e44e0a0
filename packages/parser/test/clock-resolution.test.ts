import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLogsToTrace } from '@sqltrace/parser';
import { expectAccounted, parseAll } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'stb-clock-'));

/**
 * Lines of a MariaDB 10.11 general log captured on this project's machine with sysbench
 * oltp_read_write, the log switched on while it ran: the entries before the first timestamp
 * belong to the second that timestamp names.
 */
const MARIADB_MID_RUN =
  [
    '/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:',
    'Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock',
    'Time\t\t    Id Command\tArgument',
    '\t\t    23 Query\tBEGIN',
    '\t\t    26 Query\tSELECT c FROM sbtest2 WHERE id=5024',
    '\t\t    25 Query\tSELECT c FROM sbtest2 WHERE id=4977',
    '261206 17:45:30\t    24 Query\tSELECT c FROM sbtest3 WHERE id=4992',
    '\t\t    26 Query\tSELECT c FROM sbtest4 WHERE id=5027',
    '261206 17:45:31\t    23 Query\tCOMMIT',
  ].join('\n') + '\n';

/** A PostgreSQL 15 log of pgbench with log_min_duration_statement=0 and log_line_prefix '%m [%p] %q%u@%d '. */
const PG_MILLISECONDS =
  [
    '2026-12-06 17:40:46.847 UTC [6639] postgres@stb_capture_pgbench LOG:  duration: 0.883 ms  statement: select count(*) from pgbench_branches',
    '2026-12-06 17:40:46.849 UTC [6639] postgres@stb_capture_pgbench LOG:  duration: 0.135 ms  statement: vacuum pgbench_branches',
    '2026-12-06 17:40:46.863 UTC [6641] postgres@stb_capture_pgbench LOG:  duration: 0.021 ms  statement: BEGIN;',
  ].join('\n') + '\n';

describe('clock resolution and times before the first timestamp', () => {
  it("gives a MariaDB general log's statements before its first timestamp that time, not 1970, and says so", async () => {
    const path = join(dir, 'mariadb.log');
    writeFileSync(path, MARIADB_MID_RUN);
    const { events, summary } = await parseAll(path);
    expectAccounted(summary);
    const first = Date.UTC(2026, 11, 6, 17, 45, 30) * 1000;
    expect(events.map((e) => e.ts)).toEqual([first, first, first, first, first, first + 1_000_000]);
    expect(events.map((e) => e.sql.split(' ')[0])).toEqual(['BEGIN', 'SELECT', 'SELECT', 'SELECT', 'SELECT', 'COMMIT']);
    expect(summary.warnings.map((w) => [w.line, w.message])).toEqual([
      [4, "3 statements (lines 4–6) come before the log's first timestamp: they take that time (2026-12-06T17:45:30.000Z)"],
    ]);
    // The column header is the server's, not an unknown line.
    expect(summary.skipped.map((s) => [s.reason, s.lines])).toEqual([['server start-up header', 3]]);
    expect(summary.resolutionUs).toBe(1_000_000);
  });

  it('records the clock resolution in the trace header: seconds for MariaDB, milliseconds for %m', async () => {
    const mariadb = join(dir, 'mariadb2.log');
    const pg = join(dir, 'pg.log');
    writeFileSync(mariadb, MARIADB_MID_RUN);
    writeFileSync(pg, PG_MILLISECONDS);
    for (const [log, resolution] of [
      [mariadb, 1_000_000],
      [pg, 1_000],
    ] as const) {
      const output = `${log}.jsonl`;
      await parseLogsToTrace([log], { output, threads: 0 });
      const header = JSON.parse(readFileSync(output, 'utf8').split('\n')[0]!).$trace;
      expect([log, header.resolutionUs]).toEqual([log, resolution]);
    }
  });

  it('reports a statement time before 2000 with its line', async () => {
    const path = join(dir, 'old.log');
    writeFileSync(path, PG_MILLISECONDS.replace('2026-12-06 17:40:46.849', '1970-01-01 00:00:00.001'));
    const { summary } = await parseAll(path);
    expect(summary.warnings.map((w) => w.line)).toContain(2);
    expect(summary.warnings.find((w) => w.line === 2)?.message).toMatch(/^statement time 1970-01-01T00:00:00\.000Z is before 2000-01-01/);
  });
});
