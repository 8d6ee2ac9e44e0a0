import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StbError } from '../errors/stb-error';

/**
 * Read size. Kept under V8's large-object threshold (128 KB): a larger chunk becomes a
 * large-object string when decoded, measured here at ~70x the cost of a 64 KB one.
 */
export const READ_CHUNK = 1 << 16;

/** The compression an input was found to use, from its magic bytes (not its name). */
export type Compression = 'none' | 'gzip' | 'bzip2';

export interface OpenedInput {
  /** `stdin` for `-`, else the path as given. */
  readonly name: string;
  /** Decompressed bytes (bzip2 is reported, not decoded: callers that accept it add a decoder). */
  readonly stream: Readable;
  readonly compression: Compression;
  /** Size on disk in bytes, when known (for progress). */
  readonly sizeBytes: number | undefined;
  /** The raw (compressed) stream, to measure progress through the file. */
  readonly raw: Readable;
}

/**
 * Opens a file (or `-` for stdin) for streaming, checking it exists and is a regular file, and
 * transparently gunzipping it. Errors are {@link StbError}s that name the file and say what to do.
 */
export function openInput(path: string): OpenedInput {
  if (path === '-') {
    return { name: 'stdin', stream: decompressedStdin(process.stdin), raw: process.stdin, compression: 'none', sizeBytes: undefined };
  }
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      throw new StbError('E_IO', `${path}: is a directory`, { hint: 'Pass a log file, or a glob of the files inside it' });
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof StbError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StbError('E_IO', `${path}: no such file`, { cause: error, hint: 'Check the path' });
    if (code === 'EACCES') throw new StbError('E_IO', `${path}: permission denied`, { cause: error, hint: 'Check the file permissions' });
    throw new StbError('E_IO', `${path}: cannot open (${code ?? String(error)})`, { cause: error });
  }
  const compression = sniffCompression(path);
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK });
  const stream = compression === 'gzip' ? raw.pipe(createGunzip({ chunkSize: READ_CHUNK })) : raw;
  if (stream !== raw) raw.on('error', (error) => stream.destroy(error));
  return { name: path, stream, raw, compression, sizeBytes: size };
}

function sniffCompression(path: string): Compression {
  const header = Buffer.alloc(3);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, header, 0, 3, 0);
    if (n >= 2 && header[0] === 0x1f && header[1] === 0x8b) return 'gzip';
    if (n === 3 && header.toString('latin1') === 'BZh') return 'bzip2';
    return 'none';
  } catch (error) {
    throw new StbError('E_IO', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * stdin, gunzipped when its first bytes are gzip's (`zcat`-free `stb parse - < log.gz`). A
 * bzip2 stream is refused with what to do: it cannot be told from its name here.
 */
function decompressedStdin(input: Readable): Readable {
  const out = new PassThrough({ highWaterMark: READ_CHUNK });
  let decided = false;
  const first = (chunk: Buffer) => {
    if (decided) return;
    decided = true;
    input.off('data', first);
    input.pause();
    if (chunk.length >= 3 && chunk.toString('latin1', 0, 3) === 'BZh') {
      out.destroy(
        new StbError('E_FORMAT', 'stdin: bzip2-compressed input cannot be read from stdin', {
          hint: 'Pass the .bz2 file itself, or decompress it first: bzip2 -dc log.bz2 | stb parse -',
        }),
      );
      return;
    }
    let target: Writable = out;
    if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
      const gunzip = createGunzip({ chunkSize: READ_CHUNK });
      gunzip.on('error', (error) => out.destroy(error));
      gunzip.pipe(out);
      target = gunzip;
    }
    target.write(chunk);
    input.pipe(target);
    input.resume();
  };
  input.on('data', first);
  input.on('error', (error) => out.destroy(error));
  input.once('end', () => {
    if (!decided) out.end();
  });
  return out;
}
