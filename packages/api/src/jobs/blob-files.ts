import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '@sqltrace/core';

/** Copies a blob to a local file (the libraries read files). */
export async function blobToFile(blobs: BlobStore, key: string, path: string): Promise<string> {
  await pipeline(await blobs.get(key), createWriteStream(path));
  return path;
}

/** Stores a local file as a blob. */
export function fileToBlob(blobs: BlobStore, path: string, key: string): Promise<{ key: string; bytes: number }> {
  return blobs.put(key, createReadStream(path));
}
