import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isStbError } from '@sqltrace/core';
import { SqliteDriver } from '@sqltrace/driver-sqlite';
import { parseLogsToTrace } from '@sqltrace/parser';
import { BenchmarkService, OptionError } from '@sqltrace/app';

/** The bundled shop log and its SQLite schema: a real workload against a database that holds its tables. */
const ASSETS = resolve(__dirname, '../../cli/assets/demo');
const dir = mkdtempSync(join(tmpdir(), 'stb-app-bench-'));
const trace = join(dir, 'shop.jsonl');
const database = join(dir, 'shop.db');

beforeAll(async () => {
  await parseLogsToTrace([join(ASSETS, 'shop-postgres.log')], { output: trace });
  const driver = new SqliteDriver({ url: `sqlite:${database}`, sourceDialect: 'postgres' });
  await driver.prepare!(
    readFileSync(join(ASSETS, 'shop-schema.sqlite.sql'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('--')),
  );
  await driver.destroy();
});

describe('BenchmarkService', () => {
  const service = new BenchmarkService();

  it('replays a trace against SQLite, writes the results whole, with templates and no literals', async () => {
    const output = join(dir, 'results.json');
    const { results, failure } = await service.run({
      trace,
      driver: 'sqlite',
      url: `sqlite:${database}`,
      mode: 'replay',
      speed: Infinity,
      output,
      label: 'shop',
    });
    expect(failure).toBeUndefined();
    expect(results.operations).toBe(1_500);
    expect(results.errors).toBe(0);
    expect(results.label).toBe('shop');
    const written = service.loadResults(output);
    expect(written.operations).toBe(1_500);
    expect(written.templates.find((t) => t.operations === 544)?.example).toBe('SELECT id, name, price, stock FROM products WHERE id = $1');
  });

  it('says why a run cannot be trusted: every operation failed against a database without the table', async () => {
    const missing = join(dir, 'missing-table.jsonl');
    writeFileSync(
      missing,
      [
        '{"$trace":{"version":1,"dialect":"postgres"}}',
        ...Array.from({ length: 20 }, (_, i) =>
          JSON.stringify({
            ts: 1_000_000 + i * 1_000,
            session: `s${i % 3}`,
            sql: `SELECT n FROM no_such_table WHERE id = ${1_000 + i}`,
            templateId: 'n-by-id',
          }),
        ),
      ].join('\n') + '\n',
    );
    const { results, failure } = await service.run({ trace: missing, driver: 'sqlite', mode: 'replay', speed: Infinity });
    expect(results.operations).toBe(20);
    expect(results.errors).toBe(results.operations);
    expect(failure).toMatch(/^every operation failed \(e\.g\. .*no such table/);
    // Templates by their placeholders, not by the values a statement carried (unless asked).
    expect(results.templates.map((t) => t.example)).toEqual(['SELECT n FROM no_such_table WHERE id = $1']);
    const literal = await service.run({ trace: missing, driver: 'sqlite', mode: 'replay', speed: Infinity, keepLiterals: true });
    expect(literal.results.templates[0]!.example).toMatch(/^SELECT n FROM no_such_table WHERE id = 10\d\d$/);
  });

  it('names an option by its field, for each front door to name as its user wrote it', async () => {
    const error = await service.run({ trace, driver: 'sqlite', mode: 'closed', threads: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).field).toBe('threads');
    expect((error as Error).message).toBe('threads with an in-memory SQLite database would give every thread a database of its own');
    expect((error as OptionError).named('--threads').message).toBe('--threads with an in-memory SQLite database would give every thread a database of its own');
  });

  it('refuses results files that are missing, not JSON or not results, naming the file', () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'hello');
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"schema":"something-else"}');
    for (const [file, message] of [
      [join(dir, 'none.json'), /none\.json: no such file/],
      [notJson, /not\.json: not JSON/],
      [other, /other\.json: not benchmark results/],
    ] as const) {
      let error: unknown;
      try {
        service.loadResults(file);
      } catch (e) {
        error = e;
      }
      expect(isStbError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
