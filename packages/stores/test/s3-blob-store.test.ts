import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import S3rver from 's3rver';
import { S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { S3BlobStore, openBlobStore } from '@sqltrace/stores';

/** The S3 blob store over HTTP against a real S3-compatible server (s3rver) on 127.0.0.1. */
const dir = mkdtempSync(join(tmpdir(), 'stb-s3-'));
let server: S3rver;
let endpoint = '';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const options = () => ({ endpoint, credentials, region: 'us-east-1', partSize: 5 * 1024 * 1024 });

beforeAll(async () => {
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'stb-blobs', configs: [] }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic bytes: `n` of them, in chunks of 64 KB. */
function bytes(n: number, seed = 1): Readable {
  let left = n;
  let x = seed;
  return new Readable({
    read() {
      if (left === 0) return this.push(null);
      const chunk = Buffer.allocUnsafe(Math.min(65_536, left));
      for (let i = 0; i < chunk.length; i++) chunk[i] = (x = (x * 1_103_515_245 + 12_345) & 0x7fffffff) >>> 16;
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

async function digest(stream: Readable): Promise<[string, number]> {
  const hash = createHash('sha256');
  let n = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    n += (chunk as Buffer).length;
  }
  return [hash.digest('hex'), n];
}

describe('S3BlobStore against s3rver', () => {
  it('uploads a 23 MB stream in parts under its prefix and streams it back byte for byte', async () => {
    const store = await S3BlobStore.open('s3://stb-blobs/team-a', options());
    expect(store.location).toBe('s3://stb-blobs/team-a/');
    const size = 23 * 1024 * 1024 + 17;
    const info = await store.put('traces/tr_1/trace.jsonl', bytes(size));
    expect(info).toEqual({ key: 'traces/tr_1/trace.jsonl', bytes: size });
    expect(await store.stat('traces/tr_1/trace.jsonl')).toEqual(info);
    expect(await digest(await store.get('traces/tr_1/trace.jsonl'))).toEqual(await digest(bytes(size)));
    // Under the prefix, and in the bucket as one object.
    const client = new S3Client({ endpoint, credentials, region: 'us-east-1', forcePathStyle: true });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'stb-blobs' }));
    expect(listed.Contents!.map((o) => o.Key)).toEqual(['team-a/traces/tr_1/trace.jsonl']);
    client.destroy();
    store.close();
  }, 60_000);

  it('a small blob, a missing one, deleting, and keys that would leave the prefix', async () => {
    const store = (await openBlobStore('s3://stb-blobs/small', options())) as S3BlobStore;
    await store.put('models/m.json', '{"v":1}');
    expect(await digest(await store.get('models/m.json'))).toEqual(await digest(Readable.from([Buffer.from('{"v":1}')])));
    await expect(store.get('models/none.json')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringContaining('models/none.json') });
    expect(await store.stat('models/none.json')).toBeUndefined();
    await store.delete('models/m.json');
    await store.delete('models/m.json');
    expect(await store.stat('models/m.json')).toBeUndefined();
    await expect(store.put('../other-team/x', 'x')).rejects.toMatchObject({ code: 'E_USAGE' });
    store.close();
  });

  // (s3rver implements neither AbortMultipartUpload nor ListMultipartUploads: that the parts are
  // aborted is the SDK's leavePartsOnError: false, not checked here.)
  it('an upload whose source fails midway is an error naming the cause, and the previous blob stays whole', async () => {
    const store = await S3BlobStore.open('s3://stb-blobs/fail', options());
    await store.put('results/r.json', 'previous');
    let sent = 0;
    const failing = new Readable({
      read() {
        sent += 1024 * 1024;
        if (sent > 12 * 1024 * 1024) this.destroy(new Error('the client went away'));
        else this.push(Buffer.alloc(1024 * 1024, 7));
      },
    });
    await expect(store.put('results/r.json', failing)).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.stringContaining('its source failed: the client went away'),
    });
    expect(await digest(await store.get('results/r.json'))).toEqual(await digest(Readable.from([Buffer.from('previous')])));
    store.close();
  }, 60_000);

  it('a bucket that does not exist is one clear error naming it', async () => {
    await expect(S3BlobStore.open('s3://no-such-bucket/x', options())).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.stringMatching(/the bucket no-such-bucket does not exist/),
    });
    await expect(S3BlobStore.open('s3://Bad_Name', options())).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
