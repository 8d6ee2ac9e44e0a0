import Database from 'better-sqlite3';
import { DriverError, type Driver, type DriverSession, type ExecuteResult, type ParamValue } from '@sqltrace/core';
import { toSqlitePlaceholders } from './placeholders';

export interface SqliteDriverConfig {
  /** `sqlite::memory:`, `sqlite:/path/to/file.db`, `file.db` or `:memory:`. */
  readonly url: string;
  /** How long a statement waits for a lock held by another connection (default 5,000 ms). */
  readonly busyTimeoutMs?: number;
}

/**
 * SQLite through better-sqlite3: the embedded default target. Each session is its own connection
 * to the database file (WAL mode, so readers do not block the writer); an in-memory database is
 * one connection shared by every session, as SQLite keeps it private to a connection.
 */
export class SqliteDriver implements Driver {
  readonly name = 'sqlite';
  readonly dialect = 'sqlite';
  readonly #path: string;
  readonly #busyTimeoutMs: number;
  #shared: Database.Database | undefined;
  readonly #open = new Set<SqliteSession>();

  constructor(config: SqliteDriverConfig) {
    this.#path = config.url.replace(/^sqlite:(\/\/)?/, '') || ':memory:';
    this.#busyTimeoutMs = config.busyTimeoutMs ?? 5_000;
  }

  async open(): Promise<DriverSession> {
    let db: Database.Database;
    if (this.#path === ':memory:') {
      db = this.#shared ??= this.#connect();
    } else {
      db = this.#connect();
    }
    const session = new SqliteSession(db, db !== this.#shared, () => this.#open.delete(session));
    this.#open.add(session);
    return session;
  }

  async prepare(sql: readonly string[]): Promise<void> {
    const session = await this.open();
    try {
      for (const statement of sql) await session.execute(statement);
    } finally {
      await session.close();
    }
  }

  async destroy(): Promise<void> {
    for (const session of [...this.#open]) await session.close();
    this.#shared?.close();
    this.#shared = undefined;
  }

  #connect(): Database.Database {
    try {
      const db = new Database(this.#path, { timeout: this.#busyTimeoutMs });
      if (this.#path !== ':memory:') db.pragma('journal_mode = WAL');
      return db;
    } catch (error) {
      throw translate(error, `cannot open ${this.#path}`);
    }
  }
}

class SqliteSession implements DriverSession {
  readonly #db: Database.Database;
  readonly #owns: boolean;
  readonly #onClose: () => void;
  /** Prepared statements by SQL text, with whether they take numbered (`?n`) parameters. */
  readonly #statements = new Map<string, { statement: Database.Statement; numbered: boolean }>();
  #closed = false;

  constructor(db: Database.Database, owns: boolean, onClose: () => void) {
    this.#db = db;
    this.#owns = owns;
    this.#onClose = onClose;
  }

  async execute(sql: string, params?: readonly ParamValue[]): Promise<ExecuteResult> {
    if (this.#closed) throw new DriverError('the session is closed', { code: 'SESSION_CLOSED', connectionLost: true });
    try {
      let prepared = this.#statements.get(sql);
      if (prepared === undefined) {
        const text = toSqlitePlaceholders(sql);
        prepared = { statement: this.#db.prepare(text), numbered: text !== sql };
        if (this.#statements.size >= 500) this.#statements.clear();
        this.#statements.set(sql, prepared);
      }
      const { statement, numbered } = prepared;
      // better-sqlite3 binds numbered parameters (?1, ?2 — PostgreSQL's $1, $2) by name: {1: …, 2: …}.
      const values: unknown[] = params === undefined || params.length === 0 ? [] : numbered ? [Object.fromEntries(params.map((v, i) => [i + 1, toSqliteValue(v)]))] : params.map(toSqliteValue);
      if (statement.reader) {
        const rows = statement.all(...values) as Record<string, unknown>[];
        return { rowCount: rows.length, rows };
      }
      return { rowCount: statement.run(...values).changes };
    } catch (error) {
      throw translate(error, 'statement failed');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    if (this.#owns) this.#db.close();
    this.#onClose();
  }
}

function toSqliteValue(value: ParamValue): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function translate(error: unknown, context: string): DriverError {
  const e = error as { code?: string; message?: string };
  return new DriverError(`${context}: ${e.message ?? String(error)}`, { code: e.code ?? 'SQLITE_ERROR', cause: error });
}
