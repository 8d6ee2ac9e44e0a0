import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { credentials, type Client } from '@grpc/grpc-js';
import { redactSecrets, StbError } from '@sqltrace/core';
import { parseHandshake, pluginEnvironment, type Handshake } from './handshake';
import { protocol } from './proto';
import { unaryCall } from './unary-call';

export interface PluginProcessOptions {
  /** The plugin program. */
  readonly path: string;
  readonly args?: readonly string[];
  /** How long the plugin may take to print its handshake (default 10 s, as long as a JVM may need). */
  readonly startTimeoutMs?: number;
  /** Where the plugin's own output goes, a line at a time (default: stderr, prefixed with its name). */
  readonly log?: (line: string) => void;
}

/**
 * go-plugin logs hclog JSON lines on stderr: shown as `level message`, its debug and trace lines
 * only with STB_PLUGIN_LOG=debug (undefined: not shown); anything else as is.
 */
function logLine(line: string): string | undefined {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry['@message'] !== 'string') return line;
    const level = String(entry['@level'] ?? 'info');
    if ((level === 'debug' || level === 'trace') && process.env.STB_PLUGIN_LOG !== 'debug') return undefined;
    return `${level} ${entry['@message']}`;
  } catch {
    return line;
  }
}

/**
 * A running plugin: the child process, its handshake, and gRPC clients on its socket. Killed with
 * this process (no zombie when stb is interrupted); `exited` settles when it ends, however it ends.
 */
export class PluginProcess {
  readonly driver: Client;
  readonly controller: Client;
  readonly exited: Promise<number | null>;
  #child: ChildProcess;
  #alive = true;
  #killOnExit = () => this.#child.kill('SIGKILL');

  private constructor(child: ChildProcess, handshake: Handshake, exited: Promise<number | null>) {
    this.#child = child;
    this.exited = exited.finally(() => {
      this.#alive = false;
      process.off('exit', this.#killOnExit);
    });
    process.on('exit', this.#killOnExit);
    const { Driver, Controller } = protocol();
    const target = handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address;
    this.driver = new Driver(target, credentials.createInsecure());
    this.controller = new Controller(target, credentials.createInsecure());
  }

  get alive(): boolean {
    return this.#alive;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Starts the plugin and waits for its handshake and its health check. */
  static async start(options: PluginProcessOptions): Promise<PluginProcess> {
    const name = options.path;
    const log = options.log ?? ((line: string) => process.stderr.write(`[plugin ${name}] ${line}\n`));
    const child = spawn(options.path, [...(options.args ?? [])], { env: pluginEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    const stderrTail: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 5) stderrTail.shift();
      const shown = logLine(line);
      if (shown !== undefined) log(redactSecrets(shown)); // a plugin may log its URL
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    const lines = createInterface({ input: child.stdout! });
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const handshake = await new Promise<Handshake>((resolve, reject) => {
      let first = true;
      lines.on('line', (line) => {
        if (!first) return log(line);
        first = false;
        try {
          resolve(parseHandshake(line, name));
        } catch (error) {
          reject(error as Error);
        }
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        const what =
          error.code === 'ENOENT'
            ? ['no such file', `Check the path after plugin: (${name})`]
            : error.code === 'EACCES'
              ? ['it is not executable', `chmod +x ${name}`]
              : [error.message, 'Check that the plugin runs on this machine'];
        reject(new StbError('E_USAGE', `driver plugin ${name}: ${what[0]}`, { hint: what[1], cause: error }));
      });
      void exited.then((code) => {
        const said = stderrTail.length > 0 ? `: ${stderrTail.join(' | ')}` : '';
        reject(
          new StbError('E_USAGE', `driver plugin ${name} exited (code ${code}) before its handshake${said}`, {
            hint: 'Run stb with the plugin path it expects; a plugin run by hand only says it is a plugin',
          }),
        );
      });
      timer = setTimeout(
        () =>
          reject(
            new StbError('E_USAGE', `driver plugin ${name} printed no handshake in ${timeoutMs / 1000} s`, {
              hint: 'A plugin prints CORE|APP|NETWORK|ADDRESS|grpc on stdout once it listens',
            }),
          ),
        timeoutMs,
      );
    })
      .catch((error: unknown) => {
        child.kill('SIGKILL');
        throw error;
      })
      .finally(() => clearTimeout(timer));
    const plugin = new PluginProcess(child, handshake, exited);
    await plugin.#healthy(name).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return plugin;
  }

  /** go-plugin's health check: the service "plugin" must be SERVING. */
  async #healthy(name: string): Promise<void> {
    const { Health } = protocol();
    const target = this.driver.getChannel().getTarget();
    const health = new Health(target, credentials.createInsecure());
    try {
      const reply = await unaryCall<{ status?: string }>(health, 'check', { service: 'plugin' }, 5_000);
      if (reply.status !== 'SERVING') throw new Error(`health check says ${reply.status ?? 'UNKNOWN'}`);
    } catch (error) {
      throw new StbError('E_USAGE', `driver plugin ${name}: ${(error as Error).message}`, {
        hint: 'The plugin must serve grpc.health.v1 with "plugin" SERVING',
        cause: error,
      });
    } finally {
      health.close();
    }
  }

  /** Asks the plugin to exit (go-plugin's controller), then kills it if it has not within `graceMs`. */
  async stop(graceMs = 2_000): Promise<void> {
    if (this.#alive) {
      await unaryCall(this.controller, 'shutdown', {}, graceMs).catch(() => undefined); // it may be gone already: killed below
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.closeClients();
  }

  /** Closes the gRPC channels (the plugin is gone, or going). */
  closeClients(): void {
    this.driver.close();
    this.controller.close();
  }

  /** Kills the plugin at once (tests of a plugin that dies mid-run use it too). */
  kill(): void {
    this.#child.kill('SIGKILL');
  }
}
