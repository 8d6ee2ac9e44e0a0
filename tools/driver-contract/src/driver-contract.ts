import { type DriverError, isDriverError, type Driver, type DriverSession } from '@sqltrace/core';

/** What the contract needs to know about a database: its SQL dialect's spelling of a few things. */
export interface DriverContractOptions {
  /** Shown in test names. */
  readonly name: string;
  /** A new driver against the test database. */
  readonly create: () => Driver;
  /** A driver whose server cannot be reached (a closed port), or undefined for embedded databases. */
  readonly unreachable?: () => Driver;
  /** The URL the driver uses, with a password in it, to check it never appears in messages. */
  readonly secretInUrl?: string;
  /** Placeholder for the n-th parameter (`$1` or `?`). */
  readonly placeholder: (n: number) => string;
  /** The code a duplicate key reports (SQLSTATE or engine code). */
  readonly uniqueViolation: string;
  /** The code a syntax error reports. */
  readonly syntaxError: string;
  /** SQL that returns the session's server-side id as `id`, and SQL that kills a session by id. */
  readonly kill?: { readonly idSql: string; readonly killSql: (id: unknown) => string };
  /** `BEGIN` spelling. */
  readonly begin: string;
}

/** PostgreSQL's spelling of what the contract needs: any driver or plugin that talks to PostgreSQL. */
export const POSTGRES_SPELLING = {
  placeholder: (n: number) => `$${n}`,
  uniqueViolation: '23505',
  syntaxError: '42601',
  kill: { idSql: 'SELECT pg_backend_pid() AS id', killSql: (id: unknown) => `SELECT pg_terminate_backend(${Number(id)})` },
  begin: 'BEGIN',
} as const satisfies Pick<DriverContractOptions, 'placeholder' | 'uniqueViolation' | 'syntaxError' | 'kill' | 'begin'>;

/**
 * The contract every driver passes (registered with jest's describe/it): statements with bound
 * values round-trip, errors keep the engine's code, sessions are independent connections, a
 * killed connection is reported as lost and a new session works, an unreachable server fails
 * with a message that never shows the password, destroy() closes everything.
 */
export function describeDriverContract(o: DriverContractOptions): void {
  const table = `stb_contract_${o.name.replace(/\W/g, '_')}`;
  let driver: Driver;
  let session: DriverSession;

  beforeAll(async () => {
    driver = o.create();
    session = await driver.open();
    await session.execute(`DROP TABLE IF EXISTS ${table}`);
    await session.execute(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name VARCHAR(100), score NUMERIC(10,2))`);
  });

  afterAll(async () => {
    await session?.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await driver?.destroy();
  });

  it(`${o.name}: binds values as logged (text with quotes, numbers, NULL) and returns rows`, async () => {
    const insert = `INSERT INTO ${table} (id, name, score) VALUES (${o.placeholder(1)}, ${o.placeholder(2)}, ${o.placeholder(3)})`;
    expect((await session.execute(insert, ['1', 'O\'Brien \\ "x"', '12.50'])).rowCount).toBe(1);
    expect((await session.execute(insert, [2, null, 7])).rowCount).toBe(1);
    const rows = (await session.execute(`SELECT id, name, score FROM ${table} WHERE id >= ${o.placeholder(1)} ORDER BY id`, [1])).rows!;
    expect(rows.map((r) => [Number(r.id), r.name, Number(r.score)])).toEqual([
      [1, 'O\'Brien \\ "x"', 12.5],
      [2, null, 7],
    ]);
    expect((await session.execute(`UPDATE ${table} SET score = score + 1`)).rowCount).toBe(2);
  });

  it(`${o.name}: keeps the engine's error codes`, async () => {
    const dup = await session.execute(`INSERT INTO ${table} (id, name) VALUES (1, 'again')`).catch((e: unknown) => e);
    expect(isDriverError(dup)).toBe(true);
    expect((dup as DriverError).sqlState).toBe(o.uniqueViolation);
    expect((dup as DriverError).connectionLost).toBe(false);
    const syntax = await session.execute('SELEKT 1').catch((e: unknown) => e);
    expect((syntax as DriverError).sqlState).toBe(o.syntaxError);
    // The session is still usable after statement errors.
    expect((await session.execute(`SELECT count(*) AS n FROM ${table}`)).rows![0]).toBeDefined();
  });

  it(`${o.name}: sessions are separate connections (a transaction is invisible to the other until commit)`, async () => {
    const other = await driver.open();
    try {
      await session.execute(o.begin);
      await session.execute(`INSERT INTO ${table} (id, name) VALUES (10, 'pending')`);
      const before = await other.execute(`SELECT count(*) AS n FROM ${table} WHERE id = 10`);
      await session.execute('COMMIT');
      const after = await other.execute(`SELECT count(*) AS n FROM ${table} WHERE id = 10`);
      expect(Number(Object.values(before.rows![0]!)[0])).toBe(0);
      expect(Number(Object.values(after.rows![0]!)[0])).toBe(1);
    } finally {
      await other.close();
    }
  });

  if (o.kill !== undefined) {
    const kill = o.kill;
    it(`${o.name}: a connection killed by the server is reported as lost; a new session works`, async () => {
      const victim = await driver.open();
      const id = Object.values((await victim.execute(kill.idSql)).rows![0]!)[0];
      await session.execute(kill.killSql(id)).catch(() => undefined);
      let error: unknown;
      for (let attempt = 0; attempt < 20 && error === undefined; attempt++) {
        error = await victim.execute('SELECT 1').then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      expect(isDriverError(error)).toBe(true);
      expect((error as DriverError).connectionLost).toBe(true);
      await victim.close();
      const fresh = await driver.open();
      expect((await fresh.execute('SELECT 1 AS one')).rows).toHaveLength(1);
      await fresh.close();
    });
  }

  if (o.unreachable !== undefined) {
    const unreachable = o.unreachable;
    it(`${o.name}: an unreachable server fails with the connection error, never the password`, async () => {
      const d = unreachable();
      const error = await d.open().catch((e: unknown) => e);
      expect(isDriverError(error)).toBe(true);
      expect((error as DriverError).connectionLost).toBe(true);
      expect((error as Error).message).toMatch(/cannot connect to/);
      if (o.secretInUrl) expect((error as Error).message).not.toContain(o.secretInUrl);
      await d.destroy();
    });
  }

  it(`${o.name}: destroy() closes every session`, async () => {
    const d = o.create();
    const s = await d.open();
    await d.destroy();
    await expect(s.execute('SELECT 1')).rejects.toThrow();
  });
}

/** True when a TCP port answers on 127.0.0.1 (for skipping loudly when a server is down locally). */
export async function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
