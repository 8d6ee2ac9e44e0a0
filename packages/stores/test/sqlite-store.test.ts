import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeRepositoryContract } from '@sqltrace/store-contract';
import { openRepository, SQLITE_MIGRATIONS, defaultStorePath } from '@sqltrace/stores';

const dir = mkdtempSync(join(tmpdir(), 'stb-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `store-${++n}.db`);

describeRepositoryContract({ name: 'SQLite', open: async () => (await openRepository(`sqlite:${fresh()}`)).repository });

describe('SQLite store: migrations', () => {
  it('migrates an empty file to the newest schema, and a second open applies nothing', async () => {
    const path = fresh();
    const first = await openRepository(`sqlite:${path}`);
    expect(first.applied).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    await first.repository.close();
    const again = await openRepository(path);
    expect(again.applied).toEqual([]);
    expect(again.repository.location).toBe(path);
    await again.repository.close();
  });

  it('upgrades a store written by the previous version, keeping its records', async () => {
    const path = fresh();
    const old = await openRepository(`sqlite:${path}`, { migrations: SQLITE_MIGRATIONS.slice(0, 1) });
    expect(old.applied).toEqual([1]);
    const trace = await old.repository.createTrace({ name: 'kept', origin: 'uploaded', events: 5 });
    // Tokens came with version 2.
    await expect(old.repository.createToken({ name: 't', hash: 'h' })).rejects.toThrow(/api_tokens/);
    await old.repository.close();
    const upgraded = await openRepository(`sqlite:${path}`);
    expect(upgraded.applied).toEqual([2]);
    expect(await upgraded.repository.getTrace(trace.id)).toEqual(trace);
    expect((await upgraded.repository.createToken({ name: 't', hash: 'h' })).name).toBe('t');
    await upgraded.repository.close();
  });

  it('refuses a store whose schema is newer than this version, and leaves it untouched', async () => {
    const path = fresh();
    await (await openRepository(`sqlite:${path}`)).repository.close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')").run();
    db.close();
    await expect(openRepository(`sqlite:${path}`)).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.stringMatching(/schema is at version 99, newer than this version of stb knows \(2\)/),
    });
    const after = new Database(path);
    expect(after.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 99 });
    after.close();
  });

  it('a migration that fails leaves the schema as it was', async () => {
    const path = fresh();
    const broken = [...SQLITE_MIGRATIONS, { version: 3, name: 'broken', sql: 'CREATE TABLE ok_so_far (a INTEGER); CREATE TABLE nonsense (' }];
    await expect(openRepository(`sqlite:${path}`, { migrations: broken })).rejects.toMatchObject({ code: 'E_STORE' });
    const db = new Database(path);
    // Not even versions 1 and 2: every pending migration runs in the one transaction.
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('traces', 'ok_so_far')").get()).toEqual({ n: 0 });
    db.close();
  });

  it('a path it cannot write is one clear error naming it', async () => {
    // (A file where its directory should be.)
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, '');
    await expect(openRepository(`sqlite:${file}/store.db`)).rejects.toMatchObject({ code: 'E_STORE', message: expect.stringContaining(`${file}/store.db`) });
  });

  it('defaults to the user data directory (STB_DATA_DIR first)', () => {
    const saved = process.env.STB_DATA_DIR;
    try {
      process.env.STB_DATA_DIR = join(dir, 'data');
      expect(defaultStorePath()).toBe(join(dir, 'data', 'stb.db'));
      delete process.env.STB_DATA_DIR;
      if (process.platform === 'linux') expect(defaultStorePath()).toMatch(/sqltrace\/stb\.db$/);
    } finally {
      if (saved === undefined) delete process.env.STB_DATA_DIR;
      else process.env.STB_DATA_DIR = saved;
    }
  });
});
