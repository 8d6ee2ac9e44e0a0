import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, expectAccounted, parseAll } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'stb-sql-'));

describe('sql files', () => {
  it('splits like libpg_query split tests (;, comments, strings, dollar quotes)', async () => {
    const cases = JSON.parse(readFileSync(join(FIXTURES, 'split_tests.json'), 'utf8')).cases as Array<{ input: string; expected_stmts: string }>;
    let k = 0;
    for (const c of cases) {
      const file = join(dir, `split-${k++}.sql`);
      writeFileSync(file, c.input);
      const expected =
        c.expected_stmts === ''
          ? []
          : c.expected_stmts
              .split(';')
              .map((part) => {
                const m = /loc=(\d+),len=(\d+)/.exec(part)!;
                return Buffer.from(c.input)
                  .subarray(Number(m[1]), Number(m[1]) + Number(m[2]))
                  .toString()
                  .trim();
              })
              .filter((s) => s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim().length > 0);
      if (c.input.trim() === '') continue;
      const { events, summary } = await parseAll(file, { format: 'sql', dialect: 'postgres', normalize: false });
      expectAccounted(summary);
      expect({ input: c.input, statements: events.map((e) => e.sql) }).toEqual({ input: c.input, statements: expected });
    }
  });

  it('skips psql meta-commands and COPY data, and handles MySQL backticks and # comments', async () => {
    const pg = join(dir, 'script.sql');
    writeFileSync(
      pg,
      "\\set ON_ERROR_STOP 1\nCREATE TABLE t (a int, b text);\nCOPY t FROM stdin;\n1\tx;y\n2\tz\n\\.\nSELECT 'a;b' FROM t; SELECT $$;$$;\n-- done\n",
    );
    const { events, summary } = await parseAll(pg, { format: 'sql', dialect: 'postgres', normalize: false });
    expectAccounted(summary);
    expect(events.map((e) => e.sql)).toEqual(['CREATE TABLE t (a int, b text)', 'COPY t FROM stdin', "SELECT 'a;b' FROM t", 'SELECT $$;$$']);
    expect(summary.skipped.map((r) => [r.reason, r.lines])).toEqual(
      expect.arrayContaining([
        ['psql meta-command', 1],
        ['COPY data', 3],
      ]),
    );
    const my = join(dir, 'script-mysql.sql');
    writeFileSync(my, "SELECT `a;b` FROM t # note;\n;\nINSERT INTO t VALUES ('x\\';y');\n");
    const mysql = await parseAll(my, { format: 'sql', dialect: 'mysql' });
    expect(mysql.events.map((e) => e.sql)).toEqual(['SELECT `a;b` FROM t', 'INSERT INTO t VALUES (?)']);
    expect(mysql.events[1]!.params).toEqual(["x';y"]);
  });
});

describe('csvlog records over many lines', () => {
  it('joins a statement of thousands of lines (quoted newlines) and accounts for every line', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `  AND col${i} = ${i}`).join('\n');
    const record = (n: number) =>
      `2024-01-01 00:00:0${n}.000 UTC,"u","d",1,"h",6650.1,${n},"SELECT","2024-01-01 00:00:00 UTC",3/1,0,LOG,00000,"statement: SELECT ${n} FROM ""T"" WHERE true\n${body}",,,,,,,,,"app","client backend",,0\n`;
    const path = join(dir, 'long.csv');
    writeFileSync(path, record(1) + record(2));
    const { events, summary } = await parseAll(path, { normalize: false });
    expectAccounted(summary);
    expect(summary.totalLines).toBe(10_002);
    expect(events.map((e) => e.sql.split('\n').length)).toEqual([5001, 5001]);
    expect(events[0]!.sql.startsWith('SELECT 1 FROM "T" WHERE true\n  AND col0 = 0')).toBe(true);
  });
});
