import type { ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import {
  DriverError,
  isDriverError,
  redactSecrets,
  StbError,
  type Driver,
  type DriverSession,
  type ExecuteOptions,
  type ExecuteResult,
  type ParamValue,
} from '@sqltrace/core';
import { PluginProcess, type PluginProcessOptions } from './plugin-process';
import { unaryCall } from './unary-call';
import { toWire } from './values';
import { errorFromWire, resultFromWire, type WireError, type WireResult } from './wire-results';

export interface PluginDriverOptions extends PluginProcessOptions {
  /** The target database, handed to the plugin (it may hold a password: never logged). */
  readonly url: string;
  /** The trace's SQL dialect, when known. */
  readonly sourceDialect?: string;
  /**
   * How long a statement (or opening a session) may go unanswered before its session is reported
   * lost and dropped — a plugin that hangs must not hang the run (default 60 s).
   */
  readonly statementTimeoutMs?: number;
}

interface SessionResponse {
  readonly id?: number;
  readonly kind?: 'opened' | 'result' | 'error';
  readonly result?: WireResult;
  readonly error?: WireError;
}

/** What a lost plugin looks like to the runner: a connection lost (counted, reopened once). */
function lost(name: string, why: string): DriverError {
  return new DriverError(`driver plugin ${name}: connection lost (${why})`, { code: '08006', connectionLost: true });
}

/**
 * A Driver whose work runs in another process: a go-plugin gRPC plugin (`--driver plugin:PATH`).
 * One plugin process per driver, started by the first open() (or by {@link PluginDriver.start},
 * which also learns the plugin's name and dialect); a plugin that dies is restarted once (its
 * sessions are reported lost, as a dropped connection is), then opening fails as an unreachable
 * server does.
 */
export class PluginDriver implements Driver {
  name = 'plugin';
  dialect = 'unknown';
  #options: PluginDriverOptions;
  #plugin: PluginProcess | undefined;
  #restarts = 0;
  #starting: Promise<PluginProcess> | undefined;
  #sessions = new Set<PluginSession>();
  #destroyed = false;
  #canPrepare = false;
  #timeoutMs: number;
  #watchdog: NodeJS.Timeout | undefined;

  constructor(options: PluginDriverOptions) {
    this.#options = options;
    this.#timeoutMs = options.statementTimeoutMs ?? 60_000;
  }

  /** Starts the plugin and configures its driver; the name and dialect are the plugin's. */
  static async start(options: PluginDriverOptions): Promise<PluginDriver> {
    const driver = new PluginDriver(options);
    await driver.#process();
    return driver;
  }

  /** The running plugin's process id (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.#plugin?.pid;
  }

  get prepare(): ((sql: readonly string[]) => Promise<void>) | undefined {
    if (!this.#canPrepare) return undefined;
    return async (statements) => {
      const plugin = await this.#process();
      await unaryCall(plugin.driver, 'prepare', { statements }).catch((error: ServiceError) => {
        let wire: WireError | undefined;
        try {
          wire = JSON.parse(error.details) as WireError;
        } catch {
          wire = undefined;
        }
        throw wire !== undefined ? errorFromWire(wire) : lost(this.name, error.details || error.message);
      });
    };
  }

  async #process(): Promise<PluginProcess> {
    if (this.#plugin?.alive === true) return this.#plugin;
    if (this.#starting !== undefined) return this.#starting;
    if (this.#plugin !== undefined) {
      this.#plugin.closeClients();
      if (this.#restarts >= 1)
        throw new DriverError(`driver plugin ${this.name} (${this.#options.path}) exited again after its restart`, { code: '08006', connectionLost: true });
      this.#restarts++;
    }
    this.#starting = (async () => {
      const plugin = await PluginProcess.start(this.#options);
      try {
        const info = await unaryCall<{ name?: string; dialect?: string; canPrepare?: boolean }>(plugin.driver, 'configure', {
          url: this.#options.url,
          sourceDialect: this.#options.sourceDialect ?? '',
        });
        this.name = info.name || 'plugin';
        this.dialect = info.dialect || 'unknown';
        this.#canPrepare = info.canPrepare === true;
      } catch (error) {
        await plugin.stop(500);
        throw new StbError(
          'E_USAGE',
          `driver plugin ${this.#options.path} refused the target: ${redactSecrets((error as ServiceError).details || (error as Error).message)}`,
          {
            hint: 'Check --url for this plugin',
            cause: error,
          },
        );
      }
      this.#plugin = plugin;
      return plugin;
    })().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async open(): Promise<DriverSession> {
    if (this.#destroyed) throw new DriverError('driver destroyed', { code: 'internal' });
    const plugin = await this.#process();
    try {
      return await this.#openOn(plugin);
    } catch (error) {
      // A plugin that has just died may not have been reaped yet: wait a moment for its exit,
      // then start it again (once).
      if (!(isDriverError(error) && error.connectionLost)) throw error;
      const exited = await Promise.race([plugin.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1_000))]);
      if (!exited) throw error;
      return this.#openOn(await this.#process());
    }
  }

  async #openOn(plugin: PluginProcess): Promise<DriverSession> {
    const session = await PluginSession.open(this.name, plugin, this.#timeoutMs, (s) => this.#sessions.delete(s));
    this.#sessions.add(session);
    // One timer for every session: a statement unanswered for too long fails its session.
    this.#watchdog ??= setInterval(
      () => {
        const now = performance.now();
        for (const s of this.#sessions) s.checkOverdue(now, this.#timeoutMs);
      },
      Math.min(1_000, Math.max(10, this.#timeoutMs / 4)),
    ).unref();
    return session;
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    clearInterval(this.#watchdog);
    for (const session of this.#sessions) session.abandon();
    this.#sessions.clear();
    await this.#starting?.catch(() => undefined);
    await this.#plugin?.stop();
  }
}

/** One session: a bidirectional stream; statements go out as they come, answers matched by id. */
class PluginSession implements DriverSession {
  #stream: ClientDuplexStream<unknown, SessionResponse>;
  /** In the order sent: the first is the oldest. */
  #pending = new Map<number, { resolve: (r: ExecuteResult) => void; reject: (e: unknown) => void; sentAt: number }>();
  #next = 1;
  #failure: DriverError | undefined;
  #ended: Promise<void>;
  #name: string;
  #forget: (s: PluginSession) => void;

  private constructor(name: string, stream: ClientDuplexStream<unknown, SessionResponse>, forget: (s: PluginSession) => void) {
    this.#name = name;
    this.#stream = stream;
    this.#forget = forget;
    this.#ended = new Promise((resolve) => {
      stream.on('end', () => resolve());
      stream.on('error', () => resolve());
    });
  }

  static async open(name: string, plugin: PluginProcess, timeoutMs: number, forget: (s: PluginSession) => void): Promise<PluginSession> {
    const stream = (plugin.driver as unknown as { session: () => ClientDuplexStream<unknown, SessionResponse> }).session();
    const session = new PluginSession(name, stream, forget);
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      const first = (response: SessionResponse) => {
        stream.off('error', failed);
        if (response.kind === 'opened') resolve();
        else reject(errorFromWire(response.error ?? {}));
        stream.on('data', (r: SessionResponse) => session.#answer(r));
      };
      const failed = (error: ServiceError) => reject(lost(name, error.details || error.message));
      stream.once('data', first);
      stream.once('error', failed);
      timer = setTimeout(() => {
        stream.cancel();
        reject(lost(name, `no answer to opening a session in ${timeoutMs / 1000} s`));
      }, timeoutMs);
    }).finally(() => clearTimeout(timer));
    stream.on('error', (error: ServiceError) => session.#fail(lost(name, error.details || error.message)));
    stream.on('end', () => session.#fail(lost(name, 'the plugin ended the session')));
    return session;
  }

  #answer(response: SessionResponse): void {
    const id = response.id ?? 0;
    const waiting = this.#pending.get(id);
    if (waiting === undefined) return;
    this.#pending.delete(id);
    if (response.kind === 'result') waiting.resolve(resultFromWire(response.result ?? {}));
    else waiting.reject(errorFromWire(response.error ?? {}));
  }

  #fail(error: DriverError): void {
    this.#failure ??= error;
    for (const waiting of this.#pending.values()) waiting.reject(this.#failure);
    this.#pending.clear();
    this.#forget(this);
  }

  execute(sql: string, params: readonly ParamValue[] = [], options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, sentAt: performance.now() });
      this.#stream.write({ execute: { id, sql, params: params.map(toWire), prepared: options.prepared === true, discardRows: options.discardRows === true } });
    });
  }

  /** Fails the session when its oldest statement has waited longer than `timeoutMs` (the plugin hangs). */
  checkOverdue(now: number, timeoutMs: number): void {
    for (const waiting of this.#pending.values()) {
      if (now - waiting.sentAt > timeoutMs) {
        this.#fail(lost(this.#name, `no answer in ${timeoutMs / 1000} s`));
        this.#stream.cancel();
      }
      return;
    }
  }

  async cancel(): Promise<void> {
    if (this.#failure === undefined) this.#stream.write({ cancel: {} });
  }

  async close(): Promise<void> {
    if (this.#failure === undefined) {
      this.#failure = new DriverError(`driver plugin ${this.#name}: session closed`, { code: 'internal' });
      this.#stream.end();
      await this.#ended;
    }
    this.#forget(this);
  }

  /** The driver is being destroyed: fail what waits, drop the stream. */
  abandon(): void {
    this.#fail(new DriverError(`driver plugin ${this.#name}: driver destroyed`, { code: 'internal' }));
    this.#stream.cancel();
  }
}
