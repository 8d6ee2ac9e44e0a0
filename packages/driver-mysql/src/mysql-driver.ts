import mysql from 'mysql2/promise';
import { ConnectionSession, DriverError, OpenSessions, runStatements, redactSecrets, type Driver, type DriverSession, type ExecuteResult, type ParamValue } from '@sqltrace/core';

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
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection({ uri: this.#config.url, connectTimeout: this.#config.connectTimeoutMs ?? 10_000, multipleStatements: false, supportBigNumbers: true });
    } catch (error) {
      throw translate(error, `cannot connect to ${redactSecrets(this.#config.url)}`);
    }
    let lost: DriverError | undefined;
    connection.on('error', (error: unknown) => {
      lost = translate(error, 'connection lost');
    });
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

  constructor(connection: mysql.Connection, lost: () => DriverError | undefined, onClose: () => void) {
    super(lost, onClose);
    this.#connection = connection;
  }

  protected async run(sql: string, params: readonly ParamValue[] | undefined, prepared: boolean): Promise<ExecuteResult> {
    try {
      const [result] = prepared ? await this.#connection.execute(sql, (params ?? []) as ParamValue[]) : await this.#connection.query(sql, params as unknown[] | undefined);
      if (Array.isArray(result)) return { rowCount: result.length, rows: result as Record<string, unknown>[] };
      return { rowCount: (result as { affectedRows?: number }).affectedRows ?? 0 };
    } catch (error) {
      throw translate(error, 'statement failed');
    }
  }

  protected async end(): Promise<void> {
    await this.#connection.end().catch(() => this.#connection.destroy());
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
