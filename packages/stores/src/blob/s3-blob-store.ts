import { Readable } from 'node:stream';
import { StbError, blobKeyProblem, type BlobInfo, type BlobStore } from '@sqltrace/core';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadPeer } from '../load-peer';
import type * as S3Module from '@aws-sdk/client-s3';
import type * as StorageModule from '@aws-sdk/lib-storage';

export interface S3BlobStoreOptions {
  /** An S3-compatible endpoint (MinIO, s3rver…); default: AWS (or `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`). */
  readonly endpoint?: string;
  /** Default `AWS_REGION`, else us-east-1. */
  readonly region?: string;
  /** Default: the SDK's chain (environment, profile, instance role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Path-style URLs (`endpoint/bucket/key`): the default with a custom endpoint. */
  readonly forcePathStyle?: boolean;
  /** Multipart parts, bytes (default 8 MB; S3's least is 5 MB). */
  readonly partSize?: number;
}

type S3 = typeof S3Module;
type Storage = typeof StorageModule;

/** Multipart uploads keep this many parts in flight. */
const QUEUE_SIZE = 4;

/**
 * Blobs as objects in an S3 bucket under a prefix (`s3://bucket/prefix`), through the AWS SDK
 * (`@aws-sdk/client-s3` and `@aws-sdk/lib-storage`, optional peers). Uploads stream in parts (a
 * multipart upload past one part, aborted on failure: no object is left and the previous one
 * stays), downloads stream. A missing bucket is one clear `E_STORE` error naming it.
 */
export class S3BlobStore implements BlobStore {
  readonly location: string;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;
  readonly #s3: S3;
  readonly #storage: Storage;
  readonly #partSize: number;

  private constructor(s3: S3, storage: Storage, bucket: string, prefix: string, options: S3BlobStoreOptions) {
    this.#s3 = s3;
    this.#storage = storage;
    this.#bucket = bucket;
    this.#prefix = prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`;
    this.location = `s3://${bucket}/${this.#prefix}`;
    this.#partSize = options.partSize ?? 8 * 1024 * 1024;
    const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    this.#client = new s3.S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint !== undefined ? { endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
      ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
    });
  }

  /** The store an `s3://bucket/prefix` location names, its bucket checked (a missing one is E_STORE). */
  static async open(location: string, options: S3BlobStoreOptions = {}): Promise<S3BlobStore> {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(location);
    if (match === null) throw new StbError('E_USAGE', `"${location}" is not an S3 location`, { hint: 'Write s3://bucket or s3://bucket/prefix' });
    const [s3, storage] = (await Promise.all(
      ['@aws-sdk/client-s3', '@aws-sdk/lib-storage'].map((name) => loadPeer(name, 'an S3 blob store', '@aws-sdk/client-s3 @aws-sdk/lib-storage')),
    )) as [S3, Storage];
    const store = new S3BlobStore(s3, storage, match[1]!, match[2] ?? '', options);
    try {
      await store.#client.send(new s3.HeadBucketCommand({ Bucket: store.#bucket }));
    } catch (error) {
      store.close();
      throw store.#failure(error, 'cannot open');
    }
    return store;
  }

  async put(key: string, body: Readable | Buffer | string): Promise<BlobInfo> {
    const objectKey = this.#key(key);
    let bytes = 0;
    let sourceError: Error | undefined;
    const counted = (typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([body]) : body)
      .on('data', (chunk: Buffer | string) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      })
      .on('error', (error: Error) => {
        sourceError ??= error;
      });
    const upload = new this.#storage.Upload({
      client: this.#client,
      params: { Bucket: this.#bucket, Key: objectKey, Body: counted },
      partSize: this.#partSize,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // What went wrong first: the source (a client gone mid-upload) before the abort's own answer.
      if (sourceError !== undefined)
        throw new StbError('E_STORE', `${this.location}: cannot write blob ${key}: its source failed: ${sourceError.message}`, { cause: sourceError });
      throw this.#failure(error, `cannot write blob ${key}`);
    }
    return { key, bytes };
  }

  async get(key: string): Promise<Readable> {
    try {
      const answer = await this.#client.send(new this.#s3.GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
      return answer.Body as Readable;
    } catch (error) {
      if (missing(error)) throw new StbError('E_NOT_FOUND', `blob ${key} does not exist in ${this.location}`);
      throw this.#failure(error, `cannot read blob ${key}`);
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const head = await this.#client.send(new this.#s3.HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
      return { key, bytes: Number(head.ContentLength ?? 0) };
    } catch (error) {
      if (missing(error)) return undefined;
      throw this.#failure(error, `cannot read blob ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#client.send(new this.#s3.DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
    } catch (error) {
      if (!missing(error)) throw this.#failure(error, `cannot delete blob ${key}`);
    }
  }

  /** Ends the client's connections. */
  close(): void {
    this.#client.destroy();
  }

  #key(key: string): string {
    const problem = blobKeyProblem(key);
    if (problem !== undefined) throw new StbError('E_USAGE', problem);
    return this.#prefix + key;
  }

  #failure(error: unknown, what: string): StbError {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchBucket' || (e.name === 'NotFound' && what === 'cannot open') || e.$metadata?.httpStatusCode === 404) {
      return new StbError('E_STORE', `${this.location}: ${what}: the bucket ${this.#bucket} does not exist`, {
        cause: error,
        hint: 'Create the bucket, or name another in the s3:// location',
      });
    }
    return new StbError('E_STORE', `${this.location}: ${what}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`, {
      cause: error,
      hint: "Check the endpoint, the credentials and the bucket's permissions",
    });
  }
}

function missing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
}
