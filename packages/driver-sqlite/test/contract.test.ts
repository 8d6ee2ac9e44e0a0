import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeDriverContract } from '@sqltrace/driver-contract';
import { SqliteDriver, toSqlitePlaceholders } from '@sqltrace/driver-sqlite';

const file = join(mkdtempSync(join(tmpdir(), 'stb-sqlite-')), 'contract.db');

describe('SQLite driver contract (a database file)', () => {
  describeDriverContract({
    name: 'sqlite',
    create: () => new SqliteDriver({ url: `sqlite:${file}` }),
    placeholder: (n) => `$${n}`,
    uniqueViolation: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    syntaxError: 'SQLITE_ERROR',
    begin: 'BEGIN',
  });
});

describe('SQLite placeholders', () => {
  it('turns $n into numbered parameters outside strings and comments', () => {
    expect(toSqlitePlaceholders('SELECT $1, \'$2\', "$3", $10 -- $4\n, /* $5 */ a$6')).toBe('SELECT ?1, \'$2\', "$3", ?10 -- $4\n, /* $5 */ a$6');
    expect(toSqlitePlaceholders("SELECT 'it''s $1', $2")).toBe("SELECT 'it''s $1', ?2");
  });

  it('shares one in-memory database between sessions', async () => {
    const driver = new SqliteDriver({ url: ':memory:' });
    const a = await driver.open();
    const b = await driver.open();
    await a.execute('CREATE TABLE t (x INTEGER)');
    await a.execute('INSERT INTO t VALUES (?)', [true]);
    expect((await b.execute('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
    await driver.destroy();
  });
});

describe('PostgreSQL compatibility (traces captured on PostgreSQL, run on SQLite)', () => {
  it('drops casts, reads ILIKE as LIKE, and leaves strings alone', async () => {
    const { rewritePostgres } = await import('@sqltrace/driver-sqlite');
    expect(rewritePostgres("SELECT $1::date, x::numeric(10,2), y::text[], 'a::b' FROM t WHERE n ILIKE $2 AND z::double precision > 0")).toBe(
      "SELECT $1, x, y, 'a::b' FROM t WHERE n LIKE $2 AND z > 0",
    );
  });

  it('runs now(), date_trunc(), currval() and casts on SQLite', async () => {
    const driver = new SqliteDriver({ url: ':memory:', sourceDialect: 'postgres' });
    const s = await driver.open();
    await s.execute('CREATE TABLE o (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT)');
    await s.execute('INSERT INTO o (at) VALUES (now())');
    expect((await s.execute('SELECT currval($1) AS id', ['o_id_seq'])).rows).toEqual([{ id: 1 }]);
    expect((await s.execute("SELECT date_trunc($1, '2024-06-03 09:41:12') AS d", ['day'])).rows).toEqual([{ d: '2024-06-03 00:00:00' }]);
    expect((await s.execute('SELECT count(*) AS n FROM o WHERE at >= $1::date', ['2000-01-01'])).rows).toEqual([{ n: 1 }]);
    await driver.destroy();
  });
});

describe('SQLite locks held by another connection', () => {
  it('opening a file another connection has locked waits for the lock instead of failing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'stb-sqlite-')), 'locked.db');
    const other = new Database(path);
    other.exec('CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    setTimeout(() => other.exec('COMMIT'), 150);
    const driver = new SqliteDriver({ url: `sqlite:${path}` });
    const session = await driver.open();
    expect((await session.execute('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
    expect((await session.execute('PRAGMA journal_mode')).rows).toEqual([{ journal_mode: 'wal' }]);
    await driver.destroy();
    other.close();
  });

  it('gives up after the busy timeout with the lock error, naming the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'stb-sqlite-')), 'held.db');
    const other = new Database(path);
    other.exec('CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    const driver = new SqliteDriver({ url: `sqlite:${path}`, busyTimeoutMs: 100 });
    await expect(driver.open()).rejects.toMatchObject({ message: `cannot open ${path}: database is locked`, sqlState: 'SQLITE_BUSY' });
    other.exec('COMMIT');
    other.close();
  });
});
