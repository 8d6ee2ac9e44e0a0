import { ConnectionSession, type DriverError, type ExecuteOptions, type ExecuteResult, type ParamValue } from '@sqltrace/core';
import type mysql from 'mysql2';
import { translate } from './translate-error';

/** A session on mysql2: for what the wire client does not speak (TLS, URL options, other auth plugins). */
export class Mysql2Session extends ConnectionSession {
  readonly #connection: mysql.Connection;
  readonly #lost: () => DriverError | undefined;

  constructor(connection: mysql.Connection, lost: () => DriverError | undefined, onClose: () => void) {
    super(lost, onClose);
    this.#connection = connection;
    this.#lost = lost;
  }

  protected run(sql: string, params: readonly ParamValue[] | undefined, options: ExecuteOptions | undefined): Promise<ExecuteResult> {
    const discard = options?.discardRows === true;
    return new Promise((resolve, reject) => {
      const done = (error: unknown, result: unknown) => {
        if (error) reject(translate(error, 'statement failed'));
        else if (Array.isArray(result)) resolve(discard ? { rowCount: result.length } : { rowCount: result.length, rows: result as Record<string, unknown>[] });
        else resolve({ rowCount: (result as { affectedRows?: number } | undefined)?.affectedRows ?? 0 });
      };
      // Rows nobody reads come as arrays of raw values: no object and no type conversion per row.
      const query: mysql.QueryOptions = discard ? { sql, rowsAsArray: true, typeCast: false } : { sql };
      if (options?.prepared === true) this.#connection.execute(query, (params ?? []) as ParamValue[], done);
      else if (params !== undefined) this.#connection.query(query, params as ParamValue[], done);
      else this.#connection.query(query, done);
    });
  }

  protected end(): Promise<void> {
    if (this.#lost() !== undefined) {
      // Nothing to say goodbye on.
      this.#connection.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#connection.end((error) => {
        if (error) this.#connection.destroy();
        resolve();
      });
    });
  }
}
