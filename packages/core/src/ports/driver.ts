import type { ParamValue } from '../domain/trace-event';

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  /**
   * Run it as a server-side prepared statement, as the log says the client did (a driver
   * without them runs it as it runs any statement).
   */
  readonly prepared?: boolean;
  /**
   * The caller does not read the rows (a benchmark): the driver may drain them without building
   * them. `rowCount` is still the number of rows.
   */
  readonly discardRows?: boolean;
}

/** What one statement returned. */
export interface ExecuteResult {
  /** Rows returned or affected. */
  readonly rowCount?: number;
  /** The rows, for statements that return them. */
  readonly rows?: readonly Record<string, unknown>[];
}

/** One connection to the target database. */
export interface DriverSession {
  execute(sql: string, params?: readonly ParamValue[], options?: ExecuteOptions): Promise<ExecuteResult>;
  close(options?: ExecuteOptions): Promise<void>;
  /** Optional capability: cancel the statement in flight. */
  cancel?(): Promise<void>;
}

/** A database target. Optional capabilities are optional methods, never flags. */
export interface Driver {
  /** `sqlite`, `postgres`, `mysql` or a third-party name. */
  readonly name: string;
  readonly dialect: string;
  open(options?: ExecuteOptions): Promise<DriverSession>;
  /**
   * Optional capability: open a connection that pipelines — it takes a statement while earlier
   * ones are still running, sends it at once, and the server runs them in order, each on its own
   * (an error in one does not touch the next, as when they are sent one at a time). A
   * replay with `pipeline` above 1 needs it.
   */
  openPipelined?(options?: ExecuteOptions): Promise<DriverSession>;
  /** Releases pools and handles. */
  destroy(): Promise<void>;
  /** Optional capability: run setup SQL (schema, data) before a run. */
  prepare?(sql: readonly string[], options?: ExecuteOptions): Promise<void>;
}

/** What a driver package exports so it can be loaded by package name. */
export type DriverFactory = (config: { readonly url: string; readonly [key: string]: unknown }) => Driver;
