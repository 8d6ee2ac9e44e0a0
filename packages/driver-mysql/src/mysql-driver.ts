import mysql from 'mysql2';
import { DriverError, OpenSessions, runStatements, redactSecrets, type Driver, type DriverSession } from '@sqltrace/core';
import { Mysql2Session } from './mysql2-session';
import { translate } from './translate-error';
import { WireSession } from './wire-session';
import { WireConnection, type WireOptions } from './wire/wire-connection';
import { WireUnsupported } from './wire/wire-error';

export interface MysqlDriverConfig {
  /** `mysql://user:password@host:port/database` (MySQL or MariaDB). */
  readonly url: string;
  readonly connectTimeoutMs?: number;
  /**
   * `auto` (default): the lean wire client where it can (plain TCP, native or caching_sha2 fast
   * auth, a URL without options), else mysql2; `mysql2`: always mysql2. The URL's `?client=`
   * says the same (for `stb bench --url`).
   */
  readonly client?: 'auto' | 'mysql2';
}

/**
 * MySQL and MariaDB: one connection per session. Statements run the way the log recorded them: a
 * `Query` as text, values interpolated client-side (never as a server-side prepared statement
 * the application did not use); an `Execute` (the event's `prepared`) as a server-side prepared
 * statement, prepared once per connection and text and executed with its values, so the server
 * does the work it did in the original.
 *
 * Connections go through a lean client of the protocol's commands a replay uses (about half of
 * mysql2's CPU time per statement: no row objects unless read, no per-statement command objects)
 * and fall back to mysql2 for what it does not speak.
 */
export class MysqlDriver implements Driver {
  readonly name = 'mysql';
  readonly dialect = 'mysql';
  readonly #config: MysqlDriverConfig;
  readonly #open = new OpenSessions<Mysql2Session | WireSession>();
  /** Why the wire client is not used (undefined: it is). */
  #mysql2Reason: string | undefined;

  constructor(config: MysqlDriverConfig) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new DriverError(`not a MySQL URL: ${redactSecrets(config.url)}`, { code: 'E_USAGE' });
    }
    const client = url.searchParams.get('client') ?? config.client ?? 'auto';
    if (client !== 'auto' && client !== 'mysql2')
      throw new DriverError(`unknown MySQL client "${client}" in the URL (client=auto or client=mysql2)`, { code: 'E_USAGE' });
    url.searchParams.delete('client');
    this.#config = { ...config, url: url.toString() };
    if (client === 'mysql2') this.#mysql2Reason = 'asked for';
    else if (url.search !== '') this.#mysql2Reason = `the URL has options (${url.search}) the wire client does not read`;
  }

  /** `wire` or `mysql2`: the client the next connection will use. */
  get client(): 'wire' | 'mysql2' {
    return this.#mysql2Reason === undefined ? 'wire' : 'mysql2';
  }

  async open(): Promise<DriverSession> {
    if (this.#mysql2Reason === undefined) {
      try {
        return await this.#openWire();
      } catch (error) {
        if (!(error instanceof WireUnsupported)) throw error;
        this.#mysql2Reason = error.message;
      }
    }
    return this.#openMysql2();
  }

  async prepare(sql: readonly string[]): Promise<void> {
    await runStatements(this, sql);
  }

  async destroy(): Promise<void> {
    await this.#open.closeAll();
  }

  async #openWire(): Promise<DriverSession> {
    let connection: WireConnection;
    try {
      connection = await WireConnection.connect(wireOptions(this.#config));
    } catch (error) {
      if (error instanceof WireUnsupported) throw error;
      throw translate(error, `cannot connect to ${redactSecrets(this.#config.url)}`);
    }
    let lost: DriverError | undefined;
    connection.onLost((error) => (lost = translate(error, 'connection lost')));
    return this.#open.add((release) => new WireSession(connection, () => lost, release));
  }

  async #openMysql2(): Promise<DriverSession> {
    // The callback API: mysql2's promise wrapper captures a stack trace for every statement
    // (10% of a replay's CPU time, profiled on a sysbench log).
    const connection = mysql.createConnection({
      uri: this.#config.url,
      connectTimeout: this.#config.connectTimeoutMs ?? 10_000,
      multipleStatements: false,
      supportBigNumbers: true,
    });
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
    return this.#open.add((release) => new Mysql2Session(connection, () => lost, release));
  }
}

function wireOptions(config: MysqlDriverConfig): WireOptions {
  const url = new URL(config.url);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    connectTimeoutMs: config.connectTimeoutMs ?? 10_000,
  };
}
