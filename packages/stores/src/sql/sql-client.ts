/** A SQL value as the stores bind it. */
export type SqlValue = string | number | boolean | null;

/**
 * What the repository needs of a database: statements written once with `?` placeholders (a
 * PostgreSQL client numbers them), rows as plain objects, and transactions. SQLite and PostgreSQL
 * implement it; the repository and the migrations are written against it.
 */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** A statement without rows; returns the rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Several statements separated by `;` (a migration), no parameters. */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
