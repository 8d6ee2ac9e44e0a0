import type pg from 'pg';
import type { SqlClient, SqlValue } from '../sql/sql-client';

/** `?` placeholders numbered as PostgreSQL's `$1, $2 …` (the stores' statements have no `?` in literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A pg pool (or, inside a transaction, one of its clients) as a {@link SqlClient}. Statements
 * run in order on a transaction's client; outside one, on any pooled connection.
 */
export class PostgresClient implements SqlClient {
  readonly dialect = 'postgres';
  readonly #pool: pg.Pool;
  readonly #client: pg.PoolClient | undefined;

  constructor(pool: pg.Pool, client?: pg.PoolClient) {
    this.#pool = pool;
    this.#client = client;
  }

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await (this.#client ?? this.#pool).query(numbered(sql), params as SqlValue[])).rows as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await (this.#client ?? this.#pool).query(numbered(sql), params as SqlValue[])).rowCount ?? 0;
  }

  async exec(script: string): Promise<void> {
    // A multi-statement script runs through the simple query protocol (no parameters).
    await (this.#client ?? this.#pool).query(script);
  }

  async transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    if (this.#client !== undefined) {
      // Nested: a savepoint on the same connection.
      const savepoint = `stb_${Math.random().toString(36).slice(2, 10)}`;
      await this.#client.query(`SAVEPOINT ${savepoint}`);
      try {
        const result = await work(this);
        await this.#client.query(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (error) {
        await this.#client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw error;
      }
    }
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresClient(this.#pool, client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.#client === undefined) await this.#pool.end();
  }
}
