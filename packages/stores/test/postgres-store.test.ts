import pg from 'pg';
import { describeRepositoryContract } from '@sqltrace/store-contract';
import { openRepository, POSTGRES_MIGRATIONS } from '@sqltrace/stores';

/**
 * The PostgreSQL store on the machine's server (STB_PG_URL), in a database of its own made for
 * this file and dropped after it; each test starts from an empty schema.
 */
const ADMIN_URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `stb_store_test_${process.pid}`;
const url = new URL(ADMIN_URL);
url.pathname = `/${database}`;
const STORE_URL = url.toString();
let up = false;

async function admin<T>(sql: string, target = ADMIN_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  try {
    await admin('SELECT 1');
    up = true;
  } catch {
    const message = `\n!!! PostgreSQL at ${ADMIN_URL} is not answering: the PostgreSQL store tests cannot run !!!\n`;
    if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
    console.warn(message);
    return;
  }
  await admin(`DROP DATABASE IF EXISTS ${database}`);
  await admin(`CREATE DATABASE ${database}`);
});

afterAll(async () => {
  if (up) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

/** An empty public schema in the test database. */
async function emptySchema(): Promise<void> {
  await admin('DROP SCHEMA public CASCADE; CREATE SCHEMA public', STORE_URL);
}

const pgIt = (name: string, fn: () => Promise<void>, timeout?: number) =>
  it(
    name,
    async () => {
      if (!up) return;
      await fn();
    },
    timeout,
  );

describeRepositoryContract({
  name: 'PostgreSQL',
  open: async () => {
    if (!up) throw new Error(`PostgreSQL at ${ADMIN_URL} is not answering`);
    await emptySchema();
    return (await openRepository(STORE_URL)).repository;
  },
});

describe('PostgreSQL store: migrations', () => {
  pgIt('migrates an empty database to the newest schema; a second open applies nothing', async () => {
    await emptySchema();
    const first = await openRepository(STORE_URL);
    expect(first.applied).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    await first.repository.close();
    const again = await openRepository(STORE_URL);
    expect(again.applied).toEqual([]);
    await again.repository.close();
  });

  pgIt('upgrades a database written by the previous version, keeping its records', async () => {
    await emptySchema();
    const old = await openRepository(STORE_URL, { migrations: POSTGRES_MIGRATIONS.slice(0, 1) });
    const trace = await old.repository.createTrace({ name: 'kept', origin: 'uploaded', summary: { a: [1, 2] } });
    await old.repository.close();
    const upgraded = await openRepository(STORE_URL);
    expect(upgraded.applied).toEqual([2]);
    expect(await upgraded.repository.getTrace(trace.id)).toEqual(trace);
    await upgraded.repository.close();
  });

  pgIt('two servers starting at once migrate once', async () => {
    await emptySchema();
    const both = await Promise.all([openRepository(STORE_URL), openRepository(STORE_URL)]);
    expect(both.map((o) => o.applied.length).sort()).toEqual([0, POSTGRES_MIGRATIONS.length]);
    await Promise.all(both.map((o) => o.repository.close()));
  });

  pgIt('refuses a database whose schema is newer, and a migration that fails changes nothing', async () => {
    await emptySchema();
    await (await openRepository(STORE_URL)).repository.close();
    await admin("INSERT INTO schema_migrations (version, name, applied_at) VALUES (3, 'from the future', '2030-01-01')", STORE_URL);
    await expect(openRepository(STORE_URL)).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.stringMatching(/schema is at version 3, newer than this version of stb knows \(2\)/),
    });
    await emptySchema();
    await expect(
      openRepository(STORE_URL, {
        migrations: [...POSTGRES_MIGRATIONS, { version: 3, name: 'broken', sql: 'CREATE TABLE ok_so_far (a int); SELECT nonsense(' }],
      }),
    ).rejects.toMatchObject({ code: 'E_STORE' });
    expect(await admin("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('traces', 'ok_so_far')", STORE_URL)).toEqual([
      { n: 0 },
    ]);
  });

  pgIt('a server that does not answer is one clear error, without the password', async () => {
    await expect(openRepository('postgres://stb:s3cret-pw@127.0.0.1:1/x')).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.not.stringContaining('s3cret-pw'),
    });
  });
});
