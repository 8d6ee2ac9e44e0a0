import { portOpen } from '@sqltrace/driver-contract';
import { isDriverError, type DriverSession } from '@sqltrace/core';
import { PostgresDriver } from '@sqltrace/driver-postgres';

const URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const url = new globalThis.URL(URL);

/** What a statement's result looks like through the driver's own protocol path, on a real server. */
describe('PostgreSQL statements', () => {
  let driver: PostgresDriver;
  let session: DriverSession;
  let up = true;

  beforeAll(async () => {
    up = await portOpen(Number(url.port || 5432), url.hostname);
    if (!up) {
      const message = `\n!!! PostgreSQL at ${URL} is not answering: the statement tests cannot run !!!\n`;
      if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
      console.warn(message);
      return;
    }
    driver = new PostgresDriver({ url: URL });
    session = await driver.open();
  });

  afterAll(async () => {
    await driver?.destroy();
  });

  const pgIt = (name: string, body: () => Promise<void>) => it(name, async () => (up ? body() : undefined));

  pgIt('rows come back as objects typed by the server types (int4 a number, int8 text, bool, NULL)', async () => {
    const result = await session.execute("SELECT 1::int AS a, 'x'::text AS b, 2::int8 AS c, NULL AS d, true AS e, $1::numeric AS f", ['12.50']);
    expect(result.rows).toEqual([{ a: 1, b: 'x', c: '2', d: null, e: true, f: '12.50' }]);
    expect(result.rowCount).toBe(1);
  });

  pgIt('a prepared statement run again (no Describe: the columns are remembered) returns the same rows, values bound byte for byte', async () => {
    const sql = 'SELECT $1::text AS t, length($1::text) AS n, $2::int AS i, $1::text IS NULL AS missing';
    for (const value of ['plain', 'żółw 🐢 \'quoted\' \\ "x"', '', null]) {
      for (let run = 0; run < 3; run++) {
        const result = await session.execute(sql, [value, 7]);
        expect(result.rows).toEqual([{ t: value, n: value === null ? null : [...value].length, i: 7, missing: value === null }]);
      }
    }
    await session.execute('CREATE TEMP TABLE stb_again (x int)');
    for (let run = 1; run <= 3; run++)
      expect((await session.execute('INSERT INTO stb_again SELECT g FROM generate_series(1, $1::int) g', [run])).rowCount).toBe(run);
    expect((await session.execute('SELECT count(*)::int AS n FROM stb_again WHERE x > $1', [0])).rows).toEqual([{ n: 6 }]);
  });

  pgIt('a text of several statements returns the last result, with or without rows', async () => {
    const select = await session.execute('SELECT 1 AS a; SELECT 2 AS b, 3 AS c UNION ALL SELECT 4, 5');
    expect(select.rows).toEqual([
      { b: 2, c: 3 },
      { b: 4, c: 5 },
    ]);
    expect(select.rowCount).toBe(2);
    const insert = await session.execute(
      'CREATE TEMP TABLE stb_multi (x int); INSERT INTO stb_multi VALUES (1), (2); SELECT 1 AS a; INSERT INTO stb_multi VALUES (3)',
    );
    expect(insert.rows).toEqual([]);
    expect(insert.rowCount).toBe(1);
    expect((await session.execute('BEGIN')).rowCount).toBe(0);
    await session.execute('ROLLBACK');
  });

  pgIt('a prepared statement that failed to prepare is prepared again once it can be', async () => {
    const sql = 'SELECT x FROM stb_later WHERE x = $1';
    const missing = await session.execute(sql, [1]).catch((e: unknown) => e);
    expect(isDriverError(missing) && missing.sqlState).toBe('42P01');
    await session.execute('CREATE TEMP TABLE stb_later (x int); INSERT INTO stb_later VALUES (1)');
    expect((await session.execute(sql, [1])).rows).toEqual([{ x: 1 }]);
  });

  pgIt('an execution error keeps the prepared statement and the session usable', async () => {
    const sql = 'SELECT 10 / $1::int AS q';
    const zero = await session.execute(sql, [0]).catch((e: unknown) => e);
    expect(isDriverError(zero) && zero.sqlState).toBe('22012');
    expect((await session.execute(sql, [5])).rows).toEqual([{ q: 2 }]);
  });

  pgIt('beyond 1,000 distinct texts statements go unnamed, and still return the right rows', async () => {
    const other = await driver.open();
    try {
      for (let i = 0; i < 1_005; i++) {
        const result = await other.execute(`SELECT $1::int + ${i} AS v`, [1]);
        expect(result.rows).toEqual([{ v: 1 + i }]);
      }
      expect((await other.execute('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows).toEqual([{ n: 1_000 }]);
    } finally {
      await other.close();
    }
  });

  pgIt('COPY FROM STDIN in a trace fails with a message instead of hanging', async () => {
    await session.execute('CREATE TEMP TABLE stb_copy (x int)');
    const copy = await session.execute('COPY stb_copy FROM STDIN').catch((e: unknown) => e);
    expect(isDriverError(copy) && copy.message).toMatch(/does not replay COPY FROM STDIN/);
    expect((await session.execute('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });
  pgIt('a pipelined connection runs statements given at once in order, each with its own answer; an error ends only its own statement', async () => {
    const pipelined = await driver.openPipelined();
    try {
      await pipelined.execute('CREATE TEMP TABLE stb_pipe (id serial, n int)');
      // Nothing awaited until every statement is given: they are all on the wire together.
      const given = [
        ...Array.from({ length: 30 }, (_, i) => pipelined.execute('INSERT INTO stb_pipe (n) VALUES ($1)', [i])),
        pipelined.execute('SELECT 10 / $1::int AS q', [0]),
        pipelined.execute('SELECT 10 / $1::int AS q', [5]),
        pipelined.execute('SELECT 1 AS a; SELECT 2 AS b'),
        pipelined.execute('BEGIN'),
        pipelined.execute('SELECT 1 / 0'),
        pipelined.execute('SELECT $1::int AS after_error', [1]),
        pipelined.execute('ROLLBACK'),
        pipelined.execute('SELECT n FROM stb_pipe ORDER BY id'),
      ];
      const outcomes = await Promise.allSettled(given);
      const code = (o: PromiseSettledResult<unknown>) => (o.status === 'rejected' && isDriverError(o.reason) ? o.reason.sqlState : o.status);
      expect(outcomes.slice(0, 30).map((o) => (o.status === 'fulfilled' ? o.value.rowCount : o.reason))).toEqual(Array(30).fill(1));
      expect(code(outcomes[30]!)).toBe('22012');
      expect(outcomes[31]).toEqual({ status: 'fulfilled', value: expect.objectContaining({ rows: [{ q: 2 }] }) });
      expect(outcomes[32]).toEqual({ status: 'fulfilled', value: expect.objectContaining({ rows: [{ b: 2 }] }) });
      // Inside a transaction, as when sent one at a time: the error aborts it, the next statement is refused, ROLLBACK ends it.
      expect(outcomes.slice(33, 37).map(code)).toEqual(['fulfilled', '22012', '25P02', 'fulfilled']);
      const order = outcomes[37]!;
      expect(order.status === 'fulfilled' && order.value.rows!.map((r) => r['n'])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    } finally {
      await pipelined.close();
    }
  });
});
