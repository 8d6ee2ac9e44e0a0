import type { Readable } from 'node:stream';

/** What a stored blob is. */
export interface BlobInfo {
  readonly key: string;
  readonly bytes: number;
}

/**
 * Large artifacts — trace files, models, HTML reports, results — by key (`traces/tr_…/trace.jsonl`):
 * the local filesystem by default, S3 optionally. Writes stream and are all-or-nothing: a failed
 * or interrupted `put` leaves no blob (and the previous one, if any, untouched).
 */
export interface BlobStore {
  /** `file:DIR` or `s3://bucket/prefix`. */
  readonly location: string;
  put(key: string, body: Readable | Buffer | string): Promise<BlobInfo>;
  /** A stream of the blob; a missing key is an `E_NOT_FOUND` StbError. */
  get(key: string): Promise<Readable>;
  stat(key: string): Promise<BlobInfo | undefined>;
  /** Removes the blob (a missing one is not an error). */
  delete(key: string): Promise<void>;
}

/** Keys are relative paths of safe segments: `a-z A-Z 0-9 . _ -`, no `..`, at most 512 characters. */
export function blobKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 512) return 'a blob key has 1 to 512 characters';
  for (const segment of key.split('/')) {
    if (!/^[A-Za-z0-9._-]+$/.test(segment) || segment === '.' || segment === '..')
      return `"${key}" is not a blob key (relative path segments of letters, digits, . _ -)`;
  }
  return undefined;
}
