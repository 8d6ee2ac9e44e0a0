import { readFile } from 'node:fs/promises';
import { StbError, writeFileAtomic } from '@sqltrace/core';

/** Written in every model file; readers refuse files with another format or a newer version. */
export const MODEL_FORMAT = 'sqltrace-model';
export const MODEL_FORMAT_VERSION = 1;

/** The envelope of every model file, whatever the strategy. */
export interface ModelFile<T = unknown> {
  readonly format: typeof MODEL_FORMAT;
  readonly formatVersion: number;
  readonly strategy: string;
  readonly createdAt?: string;
  readonly model: T;
}

export async function saveModelFile<T>(path: string, strategy: string, model: T): Promise<void> {
  const file: ModelFile<T> = { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, strategy, createdAt: new Date().toISOString(), model };
  // Beside the target, then renamed: a failed write leaves the previous model as it was.
  writeFileAtomic(path, JSON.stringify(file));
}

/**
 * Reads a model file, refusing — with a message that says what the file is instead — anything
 * that is not a model, a model from a newer version, or one for a strategy other than `expected`.
 */
export async function loadModelFile(path: string, expected?: string): Promise<ModelFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StbError('E_IO', `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`}`, {
      cause: error,
      hint: 'Pass a model written by `stb train`',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const looksLikeTrace = /^\{"(\$trace|ts)"/.test(text.trimStart());
    throw new StbError('E_MODEL', `${path}: not a model file (${looksLikeTrace ? 'it is a trace' : 'not JSON'})`, {
      hint: looksLikeTrace ? 'Train a model from it first: stb train <trace> -o model.json' : 'Pass a model written by `stb train`',
    });
  }
  const file = value as Partial<ModelFile>;
  if (typeof file !== 'object' || file === null || file.format !== MODEL_FORMAT) {
    throw new StbError('E_MODEL', `${path}: not a model file (no "format": "${MODEL_FORMAT}")`, { hint: 'Pass a model written by `stb train`' });
  }
  if (typeof file.formatVersion !== 'number' || file.formatVersion > MODEL_FORMAT_VERSION) {
    throw new StbError('E_MODEL', `${path}: model format version ${String(file.formatVersion)} is newer than this tool reads (${MODEL_FORMAT_VERSION})`, {
      hint: 'Upgrade @sqltrace packages, or retrain the model with this version',
    });
  }
  if (typeof file.strategy !== 'string' || file.model === undefined) {
    throw new StbError('E_MODEL', `${path}: model file is incomplete (no strategy or model)`, { hint: 'Retrain it with `stb train`' });
  }
  if (expected !== undefined && file.strategy !== expected) {
    throw new StbError('E_MODEL', `${path}: a ${file.strategy} model, not a ${expected} one`, { hint: `Use it with the ${file.strategy} strategy` });
  }
  return file as ModelFile;
}
