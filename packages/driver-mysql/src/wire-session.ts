import { ConnectionSession, type DriverError, type ExecuteOptions, type ExecuteResult, type ParamValue } from '@sqltrace/core';
import mysql from 'mysql2';
import { translate } from './translate-error';
import type { WireConnection, WireResult } from './wire/wire-connection';
import type { WireError } from './wire/wire-error';

/**
 * A session on the lean wire client: a `Query` as text (values interpolated client-side, as
 * mysql2 does), an `Execute` as a server-side prepared statement.
 */
export class WireSession extends ConnectionSession {
  readonly #connection: WireConnection;

  constructor(connection: WireConnection, lost: () => DriverError | undefined, onClose: () => void) {
    super(lost, onClose);
    this.#connection = connection;
  }

  protected run(sql: string, params: readonly ParamValue[] | undefined, options: ExecuteOptions | undefined): Promise<ExecuteResult> {
    const discard = options?.discardRows === true;
    return new Promise((resolve, reject) => {
      const done = (error: WireError | undefined, result?: WireResult): void => {
        if (error !== undefined) reject(translate(error, 'statement failed'));
        else resolve(result!);
      };
      if (options?.prepared === true) this.#connection.execute(sql, params ?? [], discard, done);
      else this.#connection.query(params !== undefined && params.length > 0 ? mysql.format(sql, params as ParamValue[]) : sql, discard, done);
    });
  }

  protected end(): Promise<void> {
    return this.#connection.end();
  }
}
