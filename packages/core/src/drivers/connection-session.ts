import type { DriverError } from '../errors/driver-error';
import type { DriverSession, ExecuteOptions, ExecuteResult } from '../ports/driver';
import type { ParamValue } from '../domain/trace-event';

/**
 * What every session over one client connection shares: a connection that dropped between
 * statements (the client reports it as an event, `lost`) fails the next statement with that
 * error, and `close()` runs once and tells the driver (`onClose`). Drivers implement `run` (the
 * statement, errors translated) and `end` (close the connection).
 */
export abstract class ConnectionSession implements DriverSession {
  readonly #lost: () => DriverError | undefined;
  readonly #onClose: () => void;
  #closed = false;

  constructor(lost: () => DriverError | undefined, onClose: () => void) {
    this.#lost = lost;
    this.#onClose = onClose;
  }

  execute(sql: string, params?: readonly ParamValue[], options?: ExecuteOptions): Promise<ExecuteResult> {
    const lost = this.#lost();
    return lost !== undefined ? Promise.reject(lost) : this.run(sql, params, options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
    await this.end();
  }

  /** `options.prepared`: as a server-side prepared statement, when the driver has them; `options.discardRows`: the rows are not read. */
  protected abstract run(sql: string, params: readonly ParamValue[] | undefined, options: ExecuteOptions | undefined): Promise<ExecuteResult>;
  protected abstract end(): Promise<void>;
}
