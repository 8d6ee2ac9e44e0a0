import mysql from 'mysql2';
import { ConnectionSession, DriverError, OpenSessions, runStatements, redactSecrets, type Driver, type DriverSession, type ExecuteOptions, type ExecuteResult, type ParamValue } from '@sqltrace/core';

export interface MysqlDriverConfig {
  /** `mysql://user:password@host:port/database` (MySQL or MariaDB). */
  readonly url: string;
  readonly connectTimeoutMs?: number;
}

/** Client errors after which the connection is gone (server-side kills report one of these). */
const CONNECTION_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'ER_CONNECTION_KILLED', 'ER_SERVER_SHUTDOWN', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR']);

/**
 * MySQL and MariaDB through mysql2: one connection per session. Statements run the way the log
 * recorded them: a `Query` as text, values interpolated client-side (never as a server-side
 * prepared statement the application did not use); an `Execute` (the event's `prepared`) as a
 * server-side prepared statement, prepared once per connection and text (mysql2's cache) and
 * executed with its values, so the server does the work it did in the original.
 */
export class MysqlDriver implements Driver {
  readonly name = 'mysql';
  readonly dialect = 'mysql';
  readonly #config: MysqlDriverConfig;
  readonly #open = new OpenSessions<MysqlSession>();

  constructor(config: MysqlDriverConfig) {
    this.#config = config;
  }

  async open(): Promise<DriverSession> {
    // The callback API: mysql2's promise wrapper captures a stack trace for every statement
    // (10% of a replay's CPU time, profiled on a sysbench log).
    const connection = mysql.createConnection({ uri: this.#config.url, connectTimeout: this.#config.connectTimeoutMs ?? 10_000, multipleStatements: false, supportBigNumbers: true });
    let lost: DriverError | undefined;
    connection.on('error', (error: unknown) => {
      lost = translate(error, 'connection lost');
    });
    try {
      await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      connection.destroy();
      throw translate(error, `cannot connect to ${redactSecrets(this.#config.url)}`);
    }
    return this.#open.add((release) => new MysqlSession(connection, () => lost, release));
  }

  async prepare(sql: readonly string[]): Promise<void> {
    await runStatements(this, sql);
  }

  async destroy(): Promise<void> {
    await this.#open.closeAll();
  }
}

class MysqlSession extends ConnectionSession {
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

function translate(error: unknown, context: string): DriverError {
  const e = error as { code?: string; errno?: number; sqlState?: string; message?: string; fatal?: boolean };
  const code = e.sqlState !== undefined && e.sqlState !== 'HY000' ? e.sqlState : e.code ?? 'UNKNOWN';
  return new DriverError(`${context}: ${e.message ?? String(error)}`, {
    code,
    ...(e.errno !== undefined ? { errno: e.errno } : {}),
    connectionLost: e.fatal === true || CONNECTION_LOST.has(e.code ?? '') || e.errno === 1927 || e.errno === 2013 || e.errno === 2006,
    cause: error,
  });
}
