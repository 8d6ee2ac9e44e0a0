import type Database from 'better-sqlite3';
import type { SqlClient, SqlValue } from '../sql/sql-client';

/**
 * better-sqlite3 as a {@link SqlClient}: synchronous underneath (one connection, statements
 * cached), WAL journal so readers do not wait for a writer, foreign keys enforced, and a busy
 * timeout for a second process on the same file. The one connection is shared, so a transaction
 * holds it: statements from outside wait until it ends (they would otherwise land inside it),
 * and transactions run one at a time; inside one, a nested transaction is a savepoint.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite';
  readonly #db: Database.Database;
  readonly #statements: Map<string, Database.Statement>;
  /** Resolves when the transaction holding the connection ends (undefined: none). */
  #held: Promise<void> | undefined;
  /** This view runs inside a transaction at this depth (0: the shared client). */
  readonly #depth: number;
  readonly #root: SqliteClient | undefined;

  constructor(db: Database.Database, root?: SqliteClient, depth = 0) {
    this.#db = db;
    this.#root = root;
    this.#depth = depth;
    this.#statements = root !== undefined ? root.#statements : new Map();
    if (root === undefined) {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    }
  }

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.#turn();
    return this.#statement(sql).all(...params.map(bind)) as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    await this.#turn();
    return this.#statement(sql).run(...params.map(bind)).changes;
  }

  async exec(script: string): Promise<void> {
    await this.#turn();
    this.#db.exec(script);
  }

  async transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    if (this.#depth > 0) return this.#savepoint(work);
    let release!: () => void;
    // Wait for the transaction before, then hold the connection.
    while (this.#held !== undefined) await this.#held;
    this.#held = new Promise((resolve) => (release = resolve));
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(new SqliteClient(this.#db, this, 1));
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.#held = undefined;
      release();
    }
  }

  async close(): Promise<void> {
    while (this.#held !== undefined) await this.#held;
    if (this.#db.open) this.#db.close();
  }

  async #savepoint<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    const name = `stb_${this.#depth}`;
    this.#db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work(new SqliteClient(this.#db, this.#root, this.#depth + 1));
      this.#db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.#db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    }
  }

  /** Outside a transaction, waits while one holds the connection. */
  async #turn(): Promise<void> {
    if (this.#depth > 0) return;
    while (this.#held !== undefined) await this.#held;
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    return statement;
  }
}

/** SQLite has no boolean. */
function bind(value: SqlValue): string | number | null {
  return typeof value === 'boolean' ? Number(value) : value;
}
