import Database from 'better-sqlite3';
import { DriverError, OpenSessions, runStatements, type Driver, type DriverSession, type ExecuteResult, type ParamValue } from '@sqltrace/core';
import { toSqlitePlaceholders } from './placeholders';
import { noteInsert, registerPostgresFunctions, rewritePostgres } from './postgres-compat';
import { whileBusy } from './while-busy';

export interface SqliteDriverConfig {
  /** `sqlite::memory:`, `sqlite:/path/to/file.db`, `file.db` or `:memory:`. */
  readonly url: string;
  /** How long opening the file or running a statement waits for a lock held by another connection (default 5,000 ms). */
  readonly busyTimeoutMs?: number;
  /** The dialect the trace was captured in: `postgres` turns on the PostgreSQL compatibility layer. */
  readonly sourceDialect?: string;
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
  readonly #postgres: boolean;
  /** The in-memory database every session shares, with its prepared statements. */
  #shared: { readonly db: Database.Database; readonly statements: StatementCache } | undefined;
  readonly #open = new OpenSessions<SqliteSession>();

  constructor(config: SqliteDriverConfig) {
    this.#path = config.url.replace(/^sqlite:(\/\/)?/, '') || ':memory:';
    this.#busyTimeoutMs = config.busyTimeoutMs ?? 5_000;
    this.#postgres = config.sourceDialect === 'postgres';
  }

  async open(): Promise<DriverSession> {
    let db: Database.Database;
    if (this.#path === ':memory:') {
      this.#shared ??= { db: this.#connect(), statements: new Map() };
      db = this.#shared.db;
    } else {
      // Switching a new file to WAL takes its lock: another thread or process opening it at the same moment waits.
      db = await whileBusy(() => this.#connect(), this.#busyTimeoutMs);
    }
    const owns = db !== this.#shared?.db;
    // Sessions on the shared in-memory handle share its prepared statements: a statement runs to the
    // end before another starts (better-sqlite3 is synchronous), and one cache per handle keeps
    // native memory flat however many sessions come and go — statements are freed only with
    // their handle or by the garbage collector, which native memory does not prompt.
    const statements: StatementCache = owns ? new Map() : this.#shared!.statements;
    return this.#open.add((release) => new SqliteSession(db, owns, statements, this.#postgres, this.#busyTimeoutMs, release));
  }

  async prepare(sql: readonly string[]): Promise<void> {
    await runStatements(this, sql);
  }

  async destroy(): Promise<void> {
    await this.#open.closeAll();
    this.#shared?.db.close();
    this.#shared = undefined;
  }

  #connect(): Database.Database {
    // No busy wait inside SQLite (timeout 0): a locked database is retried asynchronously (whileBusy).
    let db: Database.Database | undefined;
    try {
      db = new Database(this.#path, { timeout: 0 });
      if (this.#path !== ':memory:') db.pragma('journal_mode = WAL');
      if (this.#postgres) registerPostgresFunctions(db);
      return db;
    } catch (error) {
      db?.close();
      throw translate(error, `cannot open ${this.#path}`);
    }
  }
}

/** Prepared statements by SQL text, with whether they take numbered (`?n`) parameters. */
type StatementCache = Map<string, { statement: Database.Statement; numbered: boolean }>;

class SqliteSession implements DriverSession {
  readonly #db: Database.Database;
  readonly #owns: boolean;
  readonly #postgres: boolean;
  readonly #busyTimeoutMs: number;
  readonly #onClose: () => void;
  readonly #statements: StatementCache;
  #closed = false;

  constructor(db: Database.Database, owns: boolean, statements: StatementCache, postgres: boolean, busyTimeoutMs: number, onClose: () => void) {
    this.#db = db;
    this.#owns = owns;
    this.#statements = statements;
    this.#postgres = postgres;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#onClose = onClose;
  }

  execute(sql: string, params?: readonly ParamValue[]): Promise<ExecuteResult> {
    if (this.#closed) return Promise.reject(new DriverError('the session is closed', { code: 'SESSION_CLOSED', connectionLost: true }));
    return whileBusy(() => this.#run(sql, params), this.#busyTimeoutMs);
  }

  #run(sql: string, params?: readonly ParamValue[]): ExecuteResult {
    try {
      let prepared = this.#statements.get(sql);
      if (prepared === undefined) {
        // A transaction takes the write lock when it begins (IMMEDIATE): two transactions that read
        // and then write would otherwise each wait for the other to let go of its read lock.
        const text = toSqlitePlaceholders(this.#postgres ? rewritePostgres(sql) : sql).replace(/^\s*BEGIN(\s+TRANSACTION)?\s*;?\s*$/i, 'BEGIN IMMEDIATE');
        prepared = { statement: this.#db.prepare(text), numbered: /\?\d/.test(text) };
        if (this.#statements.size >= 500) this.#statements.clear();
        this.#statements.set(sql, prepared);
      }
      const { statement, numbered } = prepared;
      // better-sqlite3 binds numbered parameters (?1, ?2 — PostgreSQL's $1, $2) by name: {1: …, 2: …}.
      const values: unknown[] =
        params === undefined || params.length === 0
          ? []
          : numbered
            ? [Object.fromEntries(params.map((v, i) => [i + 1, toSqliteValue(v)]))]
            : params.map(toSqliteValue);
      let result: ExecuteResult;
      if (statement.reader) {
        const rows = statement.all(...values) as Record<string, unknown>[];
        result = { rowCount: rows.length, rows };
      } else {
        result = { rowCount: statement.run(...values).changes };
      }
      if (this.#postgres && /^\s*insert/i.test(sql)) noteInsert(this.#db);
      return result;
    } catch (error) {
      throw translate(error, 'statement failed');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owns) {
      this.#statements.clear();
      this.#db.close();
    }
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
