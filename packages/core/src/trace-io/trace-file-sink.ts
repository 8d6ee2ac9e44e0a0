import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { TraceEvent, TraceHeader } from '../domain/trace-event';
import { StbError } from '../errors/stb-error';
import type { TraceSink, WriteOptions } from '../ports/trace-sink';
import { encodeTraceEvent, encodeTraceHeader } from './trace-event-codec';

// Joined writes stay well under V8's large-object threshold (see READ_CHUNK).
const FLUSH_AT = 1 << 15;

/**
 * Writes a trace as JSON lines to a file (gzip when the name ends in `.gz`) or to stdout (`-`),
 * buffering small writes and honouring back-pressure so memory stays bounded.
 */
export class TraceFileSink implements TraceSink {
  readonly path: string;
  readonly #out: Writable;
  readonly #file: Writable;
  #buffer: string[] = [];
  #buffered = 0;
  #failure: Error | undefined;
  #closed = false;
  /** Events written so far. */
  count = 0;

  constructor(path: string) {
    this.path = path;
    if (path === '-') {
      this.#file = process.stdout;
      this.#out = process.stdout;
    } else {
      this.#file = createWriteStream(path);
      this.#out = path.endsWith('.gz') ? createGzip() : this.#file;
      if (this.#out !== this.#file) this.#out.pipe(this.#file);
    }
    const fail = (error: Error) => {
      this.#failure = new StbError('E_IO', `${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? error.message})`, {
        cause: error,
        hint: 'Check the directory exists and is writable, and the disk has space',
      });
    };
    this.#file.on('error', fail);
    if (this.#out !== this.#file) this.#out.on('error', fail);
  }

  async writeHeader(header: TraceHeader): Promise<void> {
    if (this.count > 0) throw new StbError('E_USAGE', 'trace header must be written before the first event');
    this.#push(encodeTraceHeader(header) + '\n');
  }

  async write(events: readonly TraceEvent[], options: WriteOptions = {}): Promise<void> {
    for (let i = 0; i < events.length; i++) this.#push(encodeTraceEvent(events[i]!) + '\n');
    this.count += events.length;
    if (this.#buffered >= FLUSH_AT) await this.#flush(options.signal);
  }

  /** Writes already-encoded JSON lines (each ending in a newline): the fast path for parsers. */
  async writeEncoded(text: string, eventCount: number, options: WriteOptions = {}): Promise<void> {
    this.#push(text);
    this.count += eventCount;
    if (this.#buffered >= FLUSH_AT) await this.#flush(options.signal);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flush();
    if (this.#file === process.stdout) return;
    this.#out.end();
    if (!this.#file.writableFinished) {
      await Promise.race([once(this.#file, 'finish'), once(this.#file, 'error').catch(() => undefined)]).catch(() => undefined);
    }
    if (this.#failure) throw this.#failure;
  }

  #push(text: string): void {
    this.#buffer.push(text);
    this.#buffered += text.length;
  }

  async #flush(signal?: AbortSignal): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    this.#buffered = 0;
    if (!this.#out.write(text)) {
      await once(this.#out, 'drain', { signal });
    }
    if (this.#failure) throw this.#failure;
  }
}
