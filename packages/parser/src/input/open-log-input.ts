/// <reference path="./unbzip2-stream.d.ts" />
import { READ_CHUNK, openInput, type OpenedInput } from '@sqltrace/core';
import { PassThrough, type Readable } from 'node:stream';
// unbzip2-stream is a small pure-JS streaming bzip2 decoder (no native build, no download).
import bz2 from 'unbzip2-stream';

/** Opens a log for streaming: plain, gzip or bzip2 (by magic bytes), or `-` for stdin. */
export function openLogInput(path: string): OpenedInput {
  const input = openInput(path);
  if (input.compression !== 'bzip2') return input;
  const decoder = bz2();
  // The decoder is a classic stream: bridge it into a modern Readable we can iterate.
  const stream = new PassThrough({ highWaterMark: READ_CHUNK });
  input.raw.on('error', (error) => stream.destroy(error));
  decoder.on('error', (error: Error) => stream.destroy(new Error(`bzip2: ${error.message || String(error)} (unexpected end of file or corrupt data)`)));
  input.raw.pipe(decoder).pipe(stream);
  return { ...input, stream };
}
