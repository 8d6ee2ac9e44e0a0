import { accessSync, constants, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StbError } from '../errors/stb-error';

/** Temporary files not yet renamed into place: removed if the process exits first. */
const pending = new Set<string>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', removeTemporaryOutputs);
}

/** Removes every temporary output of this process (an interrupted command leaves none behind). */
export function removeTemporaryOutputs(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/**
 * A file output written beside its target under a temporary name and renamed into place only on
 * success (`commit`): a failed or interrupted command leaves the previous file untouched and no
 * partial one. The temporary name keeps the target's extension (`.jsonl.gz` still compresses)
 * and is the same from any thread of the process. `-` (stdout) passes through.
 */
export class AtomicOutput {
  /** Where to write: the temporary file (or `-`). */
  readonly path: string;
  readonly target: string;
  #done = false;

  constructor(target: string) {
    this.target = target;
    if (target === '-') {
      this.path = '-';
      this.#done = true;
      return;
    }
    this.path = temporaryPathFor(target);
    pending.add(this.path);
    installCleanup();
  }

  /** Renames the finished file into place. */
  commit(): void {
    if (this.#done) return;
    this.#done = true;
    pending.delete(this.path);
    try {
      renameSync(this.path, this.target);
    } catch (error) {
      removeQuietly(this.path);
      throw new StbError('E_IO', `${this.target}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
        cause: error,
        hint: 'Check the directory is writable',
      });
    }
  }

  /** Removes the temporary file: the target stays as it was. */
  discard(): void {
    if (this.#done) return;
    this.#done = true;
    pending.delete(this.path);
    removeQuietly(this.path);
  }
}

/** The temporary name an output is written under before it is renamed into place. */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.stb-${process.pid}-${basename(target)}`);
}

/** Writes a whole file atomically (temporary file, then rename). */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const out = new AtomicOutput(target);
  try {
    writeFileSync(out.path, data);
  } catch (error) {
    out.discard();
    throw new StbError('E_IO', `${target}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      cause: error,
      hint: 'Check the directory exists and is writable, and the disk has space',
    });
  }
  out.commit();
}

/**
 * Checks an output path before any work starts: its directory exists and is writable, and it is
 * none of the inputs (the same file under another name included). `-` is always fine.
 */
export function checkOutputPath(output: string, inputs: readonly string[] = [], flag = '--output'): void {
  if (output === '-') return;
  const dir = dirname(resolve(output));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StbError(
      'E_IO',
      `${output}: cannot write there (${code === 'ENOENT' ? `directory ${dir} does not exist` : code === 'EACCES' || code === 'EROFS' ? `directory ${dir} is not writable` : (code ?? String(error))})`,
      {
        hint: `Create the directory or choose another ${flag}`,
      },
    );
  }
  let out: Stats;
  try {
    out = statSync(output);
  } catch {
    return; // a new file: it cannot be an input
  }
  if (out.isDirectory()) throw new StbError('E_USAGE', `${output} is a directory`, { hint: `Give ${flag} a file name` });
  for (const input of inputs) {
    if (input === '-') continue;
    try {
      const s = statSync(input);
      if (s.dev === out.dev && s.ino === out.ino) {
        throw new StbError('E_USAGE', `${output} is also an input (${input}): writing it would destroy what is being read`, { hint: `Choose another ${flag}` });
      }
    } catch (error) {
      if (error instanceof StbError) throw error;
    }
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
