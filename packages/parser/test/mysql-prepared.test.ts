import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccounted, parseAll } from './helpers';

/**
 * MariaDB general logs of prepared statements, as this machine's MariaDB 10.11 wrote them for
 * mysql2's `execute` and sysbench --db-ps-mode=auto: `Prepare` with `?`, then `Execute` with the
 * values in the placeholders' places — or, for a statement prepared before the log was switched
 * on, with the `?` still there.
 */
const dir = mkdtempSync(join(tmpdir(), 'stb-prepared-'));

function log(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      '/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:',
      'Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock',
      'Time\t\t    Id Command\tArgument',
      ...lines,
    ].join('\n') + '\n',
  );
  return path;
}

describe('MySQL/MariaDB prepared statements in a general log', () => {
  it('turns each Execute into its prepared text and the values it ran with, marked prepared', async () => {
    const path = log('prepared.log', [
      '261207  2:40:01\t    48 Connect\troot@127.0.0.1 on shop using TCP/IP',
      '\t\t    48 Prepare\tSELECT name FROM users WHERE id = ? AND note = ? LIMIT 10',
      '\t\t    48 Prepare\tINSERT INTO t (a, b, c) VALUES (?, ?, ?)',
      "\t\t    48 Execute\tSELECT name FROM users WHERE id = 42 AND note = 'it\\'s \\\\ ok' LIMIT 10",
      '\t\t    48 Execute\tINSERT INTO t (a, b, c) VALUES (NULL, -1.5e3, 123456789012345678901)',
      "\t\t    48 Execute\tSELECT name FROM users WHERE id = 7 AND note = '' LIMIT 10",
      '\t\t    48 Prepare\tCOMMIT',
      '\t\t    48 Execute\tCOMMIT',
      "\t\t    48 Query\tSELECT name FROM users WHERE id = 9 AND note = 'x' LIMIT 10",
      '\t\t    48 Close stmt\t',
      '\t\t    48 Quit\t',
    ]);
    const { events, summary } = await parseAll(path);
    expectAccounted(summary);
    expect(summary.warnings).toEqual([]);
    expect(summary.extendedEvents).toBe(4);
    expect(events.map((e) => [e.sql, e.params, e.prepared])).toEqual([
      ['SELECT name FROM users WHERE id = ? AND note = ? LIMIT 10', [42, "it's \\ ok"], true],
      ['INSERT INTO t (a, b, c) VALUES (?, ?, ?)', [null, -1500, '123456789012345678901'], true],
      ['SELECT name FROM users WHERE id = ? AND note = ? LIMIT 10', [7, ''], true],
      ['COMMIT', undefined, true],
      // The same statement sent as text: its literals become parameters as for any query, and it
      // is one template with the prepared one.
      ['SELECT name FROM users WHERE id = ? AND note = ? LIMIT ?', [9, 'x', 10], undefined],
    ]);
    expect(new Set([events[0]!.templateId, events[2]!.templateId, events[4]!.templateId]).size).toBe(1);
  });

  it('says which Execute lines have no values (prepared before the log was on) or match no Prepare, with the first line of each', async () => {
    const path = log('unlogged.log', [
      '261207  2:32:21\t    44 Execute\tSELECT SUM(k) FROM sbtest3 WHERE id BETWEEN ? AND ?',
      '\t\t    44 Execute\tUPDATE sbtest3 SET k=k+1 WHERE id=?',
      '\t\t    45 Execute\tSELECT c FROM sbtest2 WHERE id=5',
    ]);
    const { events, summary } = await parseAll(path);
    expectAccounted(summary);
    expect(events.map((e) => [e.sql, e.prepared])).toEqual([
      ['SELECT SUM(k) FROM sbtest3 WHERE id BETWEEN ? AND ?', true],
      ['UPDATE sbtest3 SET k=k+1 WHERE id=?', true],
      ['SELECT c FROM sbtest2 WHERE id=?', undefined],
    ]);
    expect(summary.warnings.map((w) => w.line)).toEqual([4, 6]);
    expect(summary.warnings[0]!.message).toMatch(
      /^2 Execute lines have no values, only their \? placeholders: .* switch the log on before the clients connect$/,
    );
    expect(summary.warnings[1]!.message).toMatch(/^1 Execute line matches none of their session's Prepare lines/);
  });
});
