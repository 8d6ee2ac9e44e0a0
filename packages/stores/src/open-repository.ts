import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { StbError, redactSecrets, type Repository } from '@sqltrace/core';
import { loadPeer } from './load-peer';
import { POSTGRES_MIGRATIONS } from './migrations/postgres-migrations';
import { SQLITE_MIGRATIONS } from './migrations/sqlite-migrations';
import { PostgresClient } from './postgres/postgres-client';
import { migrate } from './sql/migrate';
import type { Migration } from './sql/migration-plan';
import type { SqlClient } from './sql/sql-client';
import { SqlRepository } from './sql/sql-repository';
import { SqliteClient } from './sqlite/sqlite-client';
import type BetterSqlite3 from 'better-sqlite3';
import type Pg from 'pg';

export interface OpenRepositoryOptions {
  /** The schema to bring the store to (default: every migration this version knows). Tests pass fewer. */
  readonly migrations?: readonly Migration[];
}

/** An opened repository and the schema versions its opening applied. */
export interface OpenedRepository {
  readonly repository: Repository;
  readonly applied: readonly number[];
}

/**
 * Opens the repository a location names — `sqlite:PATH` (or a path), `postgres://…` — and
 * migrates its schema; without a location, the embedded default: SQLite in the user's data
 * directory ({@link defaultStorePath}). A schema newer than this version is refused.
 */
export async function openRepository(location?: string, options: OpenRepositoryOptions = {}): Promise<OpenedRepository> {
  const spec = location ?? `sqlite:${defaultStorePath()}`;
  const postgres = /^postgres(ql)?:\/\//.test(spec);
  const shown = postgres ? redactSecrets(spec) : spec;
  const client = postgres ? await postgresClient(spec) : await sqliteClient(spec.replace(/^sqlite:/, ''));
  try {
    const applied = await migrate(client, options.migrations ?? (postgres ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS), shown);
    return { repository: new SqlRepository(client, shown), applied };
  } catch (error) {
    await client.close().catch(() => undefined);
    if (error instanceof StbError) throw error;
    throw new StbError('E_STORE', `${shown}: cannot open the repository: ${(error as Error).message}`, {
      cause: error,
      hint: postgres ? 'Check the server is up and the URL, user and database are right' : 'Check the path is writable',
    });
  }
}

/** The embedded store's file: `$STB_DATA_DIR`, else the platform's user data directory, `sqltrace/stb.db`. */
export function defaultStorePath(): string {
  return join(dataDirectory(), 'stb.db');
}

export function dataDirectory(): string {
  if (process.env.STB_DATA_DIR) return resolve(process.env.STB_DATA_DIR);
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'sqltrace');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'sqltrace');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'sqltrace');
}

async function sqliteClient(path: string): Promise<SqlClient> {
  const Database = (await loadPeer<{ default: typeof BetterSqlite3 }>('better-sqlite3', 'an embedded SQLite store')).default;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    return new SqliteClient(new Database(path));
  } catch (error) {
    throw new StbError('E_STORE', `sqlite:${path}: cannot open: ${(error as Error).message}`, {
      cause: error,
      hint: 'Check the path is a writable file (or where one can be made)',
    });
  }
}

async function postgresClient(url: string): Promise<SqlClient> {
  const pg = (await loadPeer<{ default: typeof Pg }>('pg', 'a PostgreSQL store')).default;
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection that fails (server restart) is dropped by the pool, not thrown.
  pool.on('error', () => undefined);
  return new PostgresClient(pool);
}
