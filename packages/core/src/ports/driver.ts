import type { ParamValue } from '../domain/trace-event';

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
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
  /** Releases pools and handles. */
  destroy(): Promise<void>;
  /** Optional capability: run setup SQL (schema, data) before a run. */
  prepare?(sql: readonly string[], options?: ExecuteOptions): Promise<void>;
}

/** What a driver package exports so it can be loaded by package name. */
export type DriverFactory = (config: { readonly url: string; readonly [key: string]: unknown }) => Driver;
