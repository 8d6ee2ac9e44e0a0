import mysql from 'mysql2/promise';
import { DriverError, runStatements, redactUrl, type Driver, type DriverSession, type ExecuteResult, type ParamValue } from '@sqltrace/core';

export interface MysqlDriverConfig {
  /** `mysql://user:password@host:port/database` (MySQL or MariaDB). */
  readonly url: string;
  readonly connectTimeoutMs?: number;
}

/** Client errors after which the connection is gone (server-side kills report one of these). */
const CONNECTION_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'ER_CONNECTION_KILLED', 'ER_SERVER_SHUTDOWN', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR']);

/**
 * MySQL and MariaDB through mysql2: one connection per session. Values are sent the way the
 * general and slow logs recorded them: interpolated client-side into the statement text (the text
 * protocol), never as server-side prepared statements the application did not use.
 */
export class MysqlDriver implements Driver {
  readonly name = 'mysql';
  readonly dialect = 'mysql';
  readonly #config: MysqlDriverConfig;
  readonly #open = new Set<MysqlSession>();

  constructor(config: MysqlDriverConfig) {
    this.#config = config;
  }

  async open(): Promise<DriverSession> {
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection({ uri: this.#config.url, connectTimeout: this.#config.connectTimeoutMs ?? 10_000, multipleStatements: false, supportBigNumbers: true });
    } catch (error) {
      throw translate(error, `cannot connect to ${redactUrl(this.#config.url)}`);
    }
    let lost: DriverError | undefined;
    connection.on('error', (error: unknown) => {
      lost = translate(error, 'connection lost');
    });
    const session = new MysqlSession(connection, () => lost, () => this.#open.delete(session));
    this.#open.add(session);
    return session;
  }

  async prepare(sql: readonly string[]): Promise<void> {
    await runStatements(this, sql);
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.#open].map((s) => s.close()));
  }
}

class MysqlSession implements DriverSession {
  readonly #connection: mysql.Connection;
  readonly #lost: () => DriverError | undefined;
  readonly #onClose: () => void;
  #closed = false;

  constructor(connection: mysql.Connection, lost: () => DriverError | undefined, onClose: () => void) {
    this.#connection = connection;
    this.#lost = lost;
    this.#onClose = onClose;
  }

  async execute(sql: string, params?: readonly ParamValue[]): Promise<ExecuteResult> {
    const lost = this.#lost();
    if (lost !== undefined) throw lost;
    try {
      const [result] = await this.#connection.query(sql, params as unknown[] | undefined);
      if (Array.isArray(result)) return { rowCount: result.length, rows: result as Record<string, unknown>[] };
      return { rowCount: (result as { affectedRows?: number }).affectedRows ?? 0 };
    } catch (error) {
      throw translate(error, 'statement failed');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
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
