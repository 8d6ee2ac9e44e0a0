// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the module declaration for unbzip2-stream (which ships no types) must travel into the bundled .d.ts
/// <reference path="./unbzip2-stream.d.ts" />
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CORRUPT_INPUT, openInput, type OpenedInput } from '@sqltrace/core';
import { READ_CHUNK } from '@sqltrace/core/internal';
// unbzip2-stream is a small pure-JS streaming bzip2 decoder (no native build, no download).
import bz2 from 'unbzip2-stream';

/**
 * Opens a log for streaming: plain, gzip or bzip2 (by magic bytes), or `-` for stdin. bzip2 goes
 * through the system's `bzip2 -dc` when there is one (an order of magnitude faster), else through
 * a pure-JS decoder. Either way a truncated archive is an error, never a silently short log.
 */
export function openLogInput(path: string): OpenedInput {
  const input = openInput(path);
  if (input.compression !== 'bzip2') return input;
  const stream = new PassThrough({ highWaterMark: READ_CHUNK });
  input.raw.on('error', (error) => stream.destroy(error));
  const bzip2 = findOnPath('bzip2');
  if (bzip2 !== undefined) {
    const child = spawn(bzip2, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString();
    });
    child.stdin.on('error', () => undefined); // bzip2 stopped reading: its exit code says why
    input.raw.pipe(child.stdin);
    // End the stream only once bzip2 has exited cleanly, so a damaged archive cannot pass as a short log.
    child.stdout.pipe(stream, { end: false });
    child.on('close', (code) => {
      if (code === 0) stream.end();
      else stream.destroy(corrupt(`bzip2: ${stderr.trim().split('\n').pop() || `exit ${code}`}`));
    });
    stream.on('close', () => child.kill());
    return { ...input, stream };
  }
  const decoder = bz2();
  decoder.on('error', (error: Error) => stream.destroy(corrupt(`bzip2: ${error.message || String(error)}`)));
  input.raw.pipe(decoder).pipe(stream);
  return { ...input, stream };
}

function corrupt(message: string): Error {
  return Object.assign(new Error(message), { code: CORRUPT_INPUT });
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
