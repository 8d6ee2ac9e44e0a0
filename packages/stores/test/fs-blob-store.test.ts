import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { FsBlobStore } from '@sqltrace/stores';

const dir = mkdtempSync(join(tmpdir(), 'stb-blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FsBlobStore', () => {
  const store = new FsBlobStore(dir);

  it('streams a blob in and out under its key', async () => {
    // 8 MB in 1,000 chunks: written as it comes, not gathered first.
    const chunk = 'x'.repeat(8_000) + '\n';
    const info = await store.put(
      'traces/tr_1/trace.jsonl',
      Readable.from(
        (function* () {
          for (let i = 0; i < 1_000; i++) yield chunk;
        })(),
      ),
    );
    expect(info).toEqual({ key: 'traces/tr_1/trace.jsonl', bytes: 8_001_000 });
    expect(await store.stat('traces/tr_1/trace.jsonl')).toEqual(info);
    const back = await text(await store.get('traces/tr_1/trace.jsonl'));
    expect(back.length).toBe(8_001_000);
    expect(store.location).toBe(`file:${dir}`);
  });

  it('a failed upload leaves no blob and keeps the previous one', async () => {
    await store.put('models/m.json', '{"v":1}');
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put('models/m.json', failing)).rejects.toMatchObject({ code: 'E_STORE', message: expect.stringContaining('client went away') });
    expect(await text(await store.get('models/m.json'))).toBe('{"v":1}');
    expect(readdirSync(join(dir, 'models'))).toEqual(['m.json']);
  });

  it('a missing blob is not found; deleting one twice is fine', async () => {
    await expect(store.get('reports/none.html')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringContaining('reports/none.html') });
    expect(await store.stat('reports/none.html')).toBeUndefined();
    await store.put('reports/r.html', Buffer.from('<html></html>'));
    await store.delete('reports/r.html');
    await store.delete('reports/r.html');
    expect(await store.stat('reports/r.html')).toBeUndefined();
  });

  it('refuses keys that would leave its directory', async () => {
    for (const key of ['../escape', '/etc/passwd', 'a/../../b', 'a//b', '', 'sp ace']) {
      await expect(store.put(key, 'x')).rejects.toMatchObject({ code: 'E_USAGE' });
    }
  });
});
