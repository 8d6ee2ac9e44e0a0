import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseLogsToTrace } from '@sqltrace/parser';

describe('parse progress', () => {
  it("on a gzipped log, counts the log text read (decompressed) beside the file's own bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stb-progress-'));
    const text = Array.from(
      { length: 20_000 },
      (_, i) => `2024-01-01 00:00:00.000 UTC [${i % 7}] LOG:  statement: SELECT * FROM orders WHERE id = ${i}\n`,
    ).join('');
    const path = join(dir, 'big.log.gz');
    writeFileSync(path, gzipSync(Buffer.from(text)));
    const seen: { bytesRead: number; totalBytes: number | undefined; textBytes: number }[] = [];
    const result = await parseLogsToTrace([path], { output: join(dir, 'out.jsonl'), onProgress: (p) => seen.push(p) });
    expect(result.events).toBe(20_000);
    const last = seen.at(-1)!;
    expect(last.textBytes).toBe(Buffer.byteLength(text));
    expect(last.bytesRead).toBe(statSync(path).size);
    expect(last.totalBytes).toBe(statSync(path).size);
    expect(last.textBytes).toBeGreaterThan(last.bytesRead * 5);
    // Monotonic, batch by batch.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.textBytes).toBeGreaterThanOrEqual(seen[i - 1]!.textBytes);
  });
});
