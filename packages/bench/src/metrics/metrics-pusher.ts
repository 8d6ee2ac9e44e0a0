import { hostname } from 'node:os';
import { Pushgateway, type Registry } from 'prom-client';

export interface PushOptions {
  /** The Pushgateway, e.g. http://127.0.0.1:9091. */
  readonly url: string;
  /** Push every this many milliseconds while the run goes (default 10 s; 0: only at the end). */
  readonly intervalMs?: number;
  /** Delete the run's group from the Pushgateway at the end (after the final push and any linger). */
  readonly deleteAtEnd?: boolean;
  /** The `instance` grouping label (default: this host's name). */
  readonly instance?: string;
  /** Warned of a failed periodic push (the run goes on; the final push's failure is thrown). */
  readonly onError?: (error: Error) => void;
}

/**
 * Pushes a registry to a Prometheus Pushgateway under job="stb", run=<run>, instance=<host>: every
 * `intervalMs` while the run goes and once at the end, so a run shorter than a scrape interval is
 * seen too. Each push replaces the group (PUT): the gateway holds the run's latest values.
 */
export class MetricsPusher {
  readonly groupings: { readonly run: string; readonly instance: string };
  readonly #gateway: Pushgateway<'text/plain; version=0.0.4; charset=utf-8'>;
  readonly #options: PushOptions;
  readonly #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<unknown> = Promise.resolve();

  constructor(registry: Registry, run: string, options: PushOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new RangeError(`the Pushgateway URL ${JSON.stringify(options.url)} is not a URL (e.g. http://127.0.0.1:9091)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`the Pushgateway URL must be http or https, got ${url.protocol}`);
    this.#options = options;
    this.groupings = { run, instance: options.instance ?? hostname() };
    this.#gateway = new Pushgateway(url.toString().replace(/\/$/, ''), { timeout: 5_000 }, registry as Registry<'text/plain; version=0.0.4; charset=utf-8'>);
    const every = options.intervalMs ?? 10_000;
    if (every > 0) {
      this.#timer = setInterval(() => {
        this.#inFlight = this.#push().catch((error: Error) => options.onError?.(error));
      }, every);
      this.#timer.unref();
    }
  }

  /** Stops the periodic pushes and pushes the final values (a failure is thrown). */
  async finish(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
    await this.#push();
  }

  /** Deletes the run's group, if asked to at the end. */
  async cleanUp(): Promise<void> {
    if (this.#options.deleteAtEnd !== true) return;
    await this.#gateway.delete({ jobName: 'stb', groupings: this.groupings }).catch((error: Error) => {
      throw new Error(`deleting the run's group from the Pushgateway at ${this.#options.url} failed: ${error.message}`);
    });
  }

  async #push(): Promise<void> {
    await this.#gateway.push({ jobName: 'stb', groupings: this.groupings }).catch((error: Error) => {
      throw new Error(`pushing metrics to the Pushgateway at ${this.#options.url} failed: ${error.message}`);
    });
  }
}
