import pg from 'pg';
import { StatementQuery, type ResultShapes } from './statement-query';
import {
  ConnectionSession,
  DriverError,
  OpenSessions,
  runStatements,
  redactSecrets,
  type Driver,
  type DriverSession,
  type ExecuteResult,
  type ParamValue,
} from '@sqltrace/core';

export interface PostgresDriverConfig {
  /** `postgres://user:password@host:port/database` (libpq-style URL). */
  readonly url: string;
  /** Give up connecting after this long (default 10,000 ms). */
  readonly connectTimeoutMs?: number;
  readonly applicationName?: string;
}

/** SQLSTATEs and client errors after which the connection is gone. */
const CONNECTION_LOST = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'CONNECTION_ENDED',
]);

/**
 * PostgreSQL through pg: one connection per session. Statements with parameters go through the
 * extended protocol (parse/bind/execute), bound as they were logged — text, numbers, NULL — so the
 * server infers their types as it did for the application; statements without go through the
 * simple protocol. Statements go through {@link StatementQuery}, pg's custom-query interface, which
 * spends about half the client CPU per statement of `client.query(config)`.
 */
export class PostgresDriver implements Driver {
  readonly name = 'postgres';
  readonly dialect = 'postgres';
  readonly #config: PostgresDriverConfig;
  readonly #open = new OpenSessions<PostgresSession>();

  constructor(config: PostgresDriverConfig) {
    this.#config = config;
  }

  open(): Promise<DriverSession> {
    return this.#connect(false);
  }

  /**
   * A connection in pg's pipeline mode: each statement is written as soon as it is given (with
   * its own Sync, so an error ends only that statement, as when sent alone), and the answers come
   * back in order. One difference from sending them one at a time: when a statement's text fails to
   * parse, those behind it with the same text were sent without their own Parse and fail with
   * "prepared statement does not exist" (26000) instead of the syntax error.
   */
  openPipelined(): Promise<DriverSession> {
    return this.#connect(true);
  }

  async #connect(pipeline: boolean): Promise<DriverSession> {
    const client = new pg.Client({
      connectionString: this.#config.url,
      connectionTimeoutMillis: this.#config.connectTimeoutMs ?? 10_000,
      application_name: this.#config.applicationName ?? 'stb',
      pipeline,
    });
    // A connection killed between statements reports here; the next execute fails with it.
    let lost: DriverError | undefined;
    client.on('error', (error) => {
      lost = translate(error, 'connection lost');
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw translate(error, `cannot connect to ${redactSecrets(this.#config.url)}`);
    }
    return this.#open.add((release) => new PostgresSession(client, () => lost, release));
  }

  async prepare(sql: readonly string[]): Promise<void> {
    await runStatements(this, sql);
  }

  async destroy(): Promise<void> {
    await this.#open.closeAll();
  }
}

class PostgresSession extends ConnectionSession {
  readonly #client: pg.Client;

  constructor(client: pg.Client, lost: () => DriverError | undefined, onClose: () => void) {
    super(lost, onClose);
    this.#client = client;
  }

  protected run(sql: string, params?: readonly ParamValue[]): Promise<ExecuteResult> {
    return new Promise((resolve, reject) => {
      const extended = params !== undefined && params.length > 0 ? { name: this.#statementName(sql), values: params, shapes: this.#shapes } : undefined;
      const settle = (error: unknown, result?: ExecuteResult): void => (error === undefined ? resolve(result!) : reject(translate(error, 'statement failed')));
      this.#client.query(new StatementQuery(sql, extended, this.#typeParser, settle));
    });
  }

  readonly #typeParser = (oid: number, format: 'text') => this.#client.getTypeParser(oid, format) as (value: string) => unknown;

  protected async end(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }

  /**
   * A named prepared statement per distinct text (parsed once per connection, as drivers with
   * statement caches do), for the first 1,000 texts; beyond that, unnamed ('').
   */
  #statementName(sql: string): string {
    let name = this.#names.get(sql);
    if (name === undefined && this.#names.size < 1_000) this.#names.set(sql, (name = `stb_${this.#names.size}`));
    return name ?? '';
  }

  readonly #names = new Map<string, string>();
  readonly #shapes: ResultShapes = new Map();
}

function translate(error: unknown, context: string): DriverError {
  const e = error as { code?: string; message?: string };
  let code = e.code ?? 'UNKNOWN';
  const message = e.message ?? String(error);
  if (code === 'UNKNOWN' && /terminated|Connection terminated|not queryable|ended/i.test(message)) code = 'CONNECTION_ENDED';
  return new DriverError(`${context}: ${message}`, { code, connectionLost: CONNECTION_LOST.has(code), cause: error });
}
