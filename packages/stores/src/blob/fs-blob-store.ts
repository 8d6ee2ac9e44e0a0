import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { StbError, blobKeyProblem, type BlobInfo, type BlobStore } from '@sqltrace/core';

/** Blobs as files under one directory; each written under a temporary name and renamed into place. */
export class FsBlobStore implements BlobStore {
  readonly location: string;
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
    this.location = `file:${this.#root}`;
  }

  async put(key: string, body: Readable | Buffer | string): Promise<BlobInfo> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    try {
      await pipeline(typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new StbError('E_STORE', `cannot write blob ${key} under ${this.#root}: ${(error as Error).message}`, {
        cause: error,
        hint: 'Check the directory is writable and has space',
      });
    }
    return { key, bytes: (await stat(path)).size };
  }

  async get(key: string): Promise<Readable> {
    const path = this.#path(key);
    if ((await this.stat(key)) === undefined) throw new StbError('E_NOT_FOUND', `blob ${key} does not exist in ${this.location}`);
    return createReadStream(path);
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.#path(key));
      return s.isFile() ? { key, bytes: s.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StbError('E_STORE', `cannot read blob ${key}: ${(error as Error).message}`, { cause: error });
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  #path(key: string): string {
    const problem = blobKeyProblem(key);
    if (problem !== undefined) throw new StbError('E_USAGE', problem);
    return join(this.#root, key);
  }
}
