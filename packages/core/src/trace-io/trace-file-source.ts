import type { TraceEvent, TraceHeader } from '../domain/trace-event';
import { TRACE_FORMAT_VERSION } from '../domain/trace-event';
import { InputError } from '../errors/input-error';
import type { ReadOptions, TraceSource } from '../ports/trace-source';
import { readLineBatches } from './line-batches';
import { openInput } from './open-input';
import { traceEventProblem } from './trace-event-codec';

/**
 * Reads a trace file (`.jsonl`, `.jsonl.gz`, or `-` for stdin) as a stream. A malformed line
 * stops the read with an {@link InputError} naming the file and line: a trace is our own format,
 * so damage in it is reported, never skipped silently.
 */
export class TraceFileSource implements TraceSource {
  readonly name: string;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    this.name = path === '-' ? 'stdin' : path;
  }

  async header(options: ReadOptions = {}): Promise<TraceHeader | undefined> {
    const input = openInput(this.#path);
    try {
      for await (const batch of readLineBatches(input.stream, { name: this.name, signal: options.signal })) {
        const first = batch.lines.find((l) => l.trim().length > 0);
        if (first === undefined) continue;
        return first.startsWith('{"$trace"') ? this.#parseHeader(first, batch.firstLine + batch.lines.indexOf(first)) : undefined;
      }
      return undefined;
    } finally {
      input.raw.destroy();
      input.stream.destroy();
    }
  }

  async *events(options: ReadOptions = {}): AsyncGenerator<TraceEvent> {
    const input = openInput(this.#path);
    let sawContent = false;
    try {
      // No per-line copy: each line is parsed at once, and the parse makes strings of its own.
      for await (const batch of readLineBatches(input.stream, { name: this.name, signal: options.signal, detach: false })) {
        const { lines, firstLine } = batch;
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i]!;
          if (line.length === 0 || line.trim().length === 0) continue;
          const lineNo = firstLine + i;
          if (!sawContent) {
            sawContent = true;
            if (line.startsWith('{"$trace"')) {
              this.#parseHeader(line, lineNo);
              continue;
            }
          }
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            throw new InputError({ file: this.name, line: lineNo }, 'not valid JSON', {
              hint: 'A trace has one JSON event per line; was this file written by `stb parse` or `stb generate`?',
            });
          }
          const problem = traceEventProblem(value);
          if (problem) {
            throw new InputError({ file: this.name, line: lineNo }, `not a trace event: ${problem}`, {
              hint: 'Parse raw logs with `stb parse` first',
            });
          }
          yield value as TraceEvent;
        }
      }
    } finally {
      input.raw.destroy();
      input.stream.destroy();
    }
  }

  #parseHeader(line: string, lineNo: number): TraceHeader {
    let header: TraceHeader;
    try {
      header = (JSON.parse(line) as { $trace: TraceHeader }).$trace;
    } catch {
      throw new InputError({ file: this.name, line: lineNo }, 'trace header is not valid JSON');
    }
    if (typeof header !== 'object' || header === null || typeof header.version !== 'number') {
      throw new InputError({ file: this.name, line: lineNo }, 'trace header has no numeric "version"');
    }
    if (header.version > TRACE_FORMAT_VERSION) {
      throw new InputError(
        { file: this.name, line: lineNo },
        `trace format version ${header.version} is newer than this tool reads (${TRACE_FORMAT_VERSION})`,
        {
          hint: 'Upgrade @sqltrace packages',
        },
      );
    }
    return header;
  }
}
