import { join } from 'node:path';
import type { BlobStore } from '@sqltrace/core';
import { dataDirectory } from '../open-repository';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';

/**
 * The blob store a location names: `s3://bucket/prefix` (endpoint and credentials from the
 * options or the AWS environment), `file:DIR` or a directory; without one, `blobs/` in the user
 * data directory.
 */
export async function openBlobStore(location?: string, s3: S3BlobStoreOptions = {}): Promise<BlobStore> {
  if (location?.startsWith('s3://')) return S3BlobStore.open(location, s3);
  return new FsBlobStore(location === undefined ? join(dataDirectory(), 'blobs') : location.replace(/^file:/, ''));
}
