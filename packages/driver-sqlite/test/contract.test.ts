import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(toSqlitePlaceholders("SELECT $1, '$2', \"$3\", $10 -- $4\n, /* $5 */ a$6")).toBe("SELECT ?1, '$2', \"$3\", ?10 -- $4\n, /* $5 */ a$6");
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
