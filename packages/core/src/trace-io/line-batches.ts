import type { Readable } from 'node:stream';
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { StbError } from '../errors/stb-error';

/** Consecutive lines of a text input; `firstLine` is the 1-based number of `lines[0]`. */
export interface LineBatch {
  readonly lines: string[];
  readonly firstLine: number;
}

/** Something wrong with one input line that did not stop the read. */
export interface LineWarning {
  readonly line: number;
  readonly message: string;
}

export interface LineBatchOptions {
  /** For messages. */
  readonly name: string;
  /** Longer lines are skipped (and reported) without ever being held in memory whole. */
  readonly maxLineLength?: number;
  readonly onWarning?: (warning: LineWarning) => void;
  /** Hears each line skipped for its length (its number): it is in no batch, so the caller counts it. */
  readonly onLongLine?: (line: number) => void;
  /** Stops the read when aborted. */
  readonly signal?: AbortSignal;
  /** Told the size of every chunk read (decompressed bytes): progress through the text. */
  readonly onChunk?: (bytes: number) => void;
  /**
   * Give each line storage of its own (default true), so a line kept for long does not keep its
   * whole read chunk alive. A reader that is done with each line at once (JSON.parse makes new
   * strings) can skip the copy.
   */
  readonly detach?: boolean;
}

export const DEFAULT_MAX_LINE_LENGTH = 32 * 1024 * 1024;

/**
 * The `code` a decompressing stream's error carries when the archive is truncated or damaged
 * (zlib's own codes are recognised too): such errors become "truncated or corrupt" messages.
 */
export const CORRUPT_INPUT = 'ERR_STB_CORRUPT_INPUT';
const CORRUPT_CODES = new Set([CORRUPT_INPUT, 'Z_BUF_ERROR', 'Z_DATA_ERROR']);

/** A flat copy of a string that shares no storage with the string it was sliced from. */
function detach(s: string): string {
  // Concatenation makes a cons string; slicing it flattens it into a new string of this size.
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

/**
 * Splits a byte stream into batches of lines (one batch per chunk) with bounded memory. Batching
 * keeps the per-line cost to a string slice: parsers loop over a batch synchronously.
 * Stream failures (a truncated gzip, a read error) become one {@link StbError} naming the line.
 */
export async function* readLineBatches(stream: Readable, options: LineBatchOptions): AsyncGenerator<LineBatch> {
  const maxLen = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 1;
  let skipping = false; // inside an over-long line: discard until its newline
  const warn = options.onWarning;
  const tooLong = (line: number) => {
    warn?.({ line, message: `line longer than ${maxLen} characters skipped` });
    options.onLongLine?.(line);
  };
  const copy = options.detach ?? true;

  const checkReplacement = (lines: string[], first: number) => {
    if (!warn) return;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.indexOf('\uFFFD') !== -1) {
        warn({ line: first + i, message: 'invalid UTF-8 bytes replaced by U+FFFD' });
      }
    }
  };

  try {
    for await (const chunk of stream) {
      options.signal?.throwIfAborted();
      options.onChunk?.((chunk as Buffer | string).length);
      // Logs are mostly ASCII: copying bytes (latin1) is far cheaper than UTF-8 decoding. Bytes a
      // previous chunk left mid-character cannot be completed by ASCII: end() flushes them.
      const text =
        typeof chunk === 'string' ? chunk : isAscii(chunk as Buffer) ? decoder.end() + (chunk as Buffer).toString('latin1') : decoder.write(chunk as Buffer);
      let start = 0;
      const lines: string[] = [];
      let nl = text.indexOf('\n');
      if (!skipping && carry.length > 0 && nl !== -1 && carry.length + nl > maxLen) {
        // A carried line that this chunk completes past the limit.
        tooLong(lineNo);
        carry = '';
        skipping = true;
      }
      if (skipping) {
        if (nl === -1) continue;
        skipping = false;
        start = nl + 1;
        lineNo++;
        nl = text.indexOf('\n', start);
      }
      const batchFirst = lineNo;
      while (nl !== -1) {
        // `detach`: a slice would keep the whole read chunk alive for as long as any piece of
        // the line is held (a statement pending in one of hundreds of open sessions).
        let line = start === 0 && carry.length > 0 ? carry + text.slice(0, nl) : copy ? detach(text.slice(start, nl)) : text.slice(start, nl);
        if (start === 0) carry = '';
        if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
        lines.push(line);
        lineNo++;
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      const rest = start === 0 ? carry + text : text.slice(start);
      carry = '';
      if (rest.length > maxLen) {
        tooLong(lineNo);
        skipping = true;
      } else {
        carry = rest;
      }
      if (lines.length > 0) {
        if (text.indexOf('\uFFFD') !== -1) checkReplacement(lines, batchFirst);
        yield { lines, firstLine: batchFirst };
      }
    }
    const tail = carry + decoder.end();
    if (!skipping && tail.length > 0) {
      const line = tail.charCodeAt(tail.length - 1) === 13 ? tail.slice(0, -1) : tail;
      if (line.length > maxLen) {
        tooLong(lineNo);
      } else {
        const lines = [line];
        checkReplacement(lines, lineNo);
        yield { lines, firstLine: lineNo };
      }
    }
  } catch (error) {
    if (error instanceof StbError || (error as Error)?.name === 'AbortError') throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && CORRUPT_CODES.has(code)) {
      throw new StbError('E_IO', `${options.name}:${lineNo}: compressed input is truncated or corrupt (${(error as Error).message})`, {
        cause: error,
        hint: 'Check the archive (gzip -t / bzip2 -t) and re-copy it; lines before this point were read',
      });
    }
    throw new StbError('E_IO', `${options.name}:${lineNo}: read failed (${(error as Error)?.message ?? String(error)})`, { cause: error });
  }
}
