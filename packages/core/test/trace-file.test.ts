import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError, type StbError, TraceFileSink, TraceFileSource, isStbError, type TraceEvent } from '@sqltrace/core';

const dir = mkdtempSync(join(tmpdir(), 'stb-core-'));

const events: TraceEvent[] = [
  { ts: 1_700_000_000_000_000, session: 'a', sql: 'SELECT $1', params: [1], durationUs: 120, templateId: 't1' },
  { ts: 1_700_000_000_000_500, session: 'b', sql: 'INSERT INTO t VALUES ($1, $2)', params: ['x\ny', null], user: 'app', database: 'shop' },
  { ts: 1_700_000_000_001_000, session: 'a', sql: 'COMMIT', error: '40001' },
];

async function collect(path: string): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  for await (const e of new TraceFileSource(path).events()) out.push(e);
  return out;
}

describe('trace files', () => {
  it.each(['plain.jsonl', 'compressed.jsonl.gz'])('round-trips events with a header (%s)', async (name) => {
    const path = join(dir, name);
    const sink = new TraceFileSink(path);
    await sink.writeHeader({ version: 1, source: 'pg-stderr', dialect: 'postgres' });
    await sink.write(events);
    await sink.close();
    expect(await collect(path)).toEqual(events);
    expect(await new TraceFileSource(path).header()).toEqual({ version: 1, source: 'pg-stderr', dialect: 'postgres' });
  });

  it('streams a large trace without holding it (many flushes) and keeps every event', async () => {
    const path = join(dir, 'large.jsonl.gz');
    const sink = new TraceFileSink(path);
    for (let b = 0; b < 50; b++) {
      await sink.write(Array.from({ length: 1000 }, (_, i) => ({ ts: b * 1000 + i, session: String(i % 7), sql: `SELECT ${i}` })));
    }
    await sink.close();
    let n = 0;
    let last = -1;
    for await (const e of new TraceFileSource(path).events()) {
      expect(e.ts).toBeGreaterThan(last);
      last = e.ts;
      n++;
    }
    expect(n).toBe(50_000);
  });

  it('names the file and line of a malformed event', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `{"ts":1,"session":"a","sql":"SELECT 1"}\n{"ts":2,"session":"a"\n`);
    const error = await collect(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${path}:2: not valid JSON`);
    expect((error as InputError).location).toEqual({ file: path, line: 2 });
  });

  it('rejects JSON that is not an event, saying which field is wrong', async () => {
    const path = join(dir, 'not-event.jsonl');
    writeFileSync(path, `{"ts":"yesterday","session":"a","sql":"SELECT 1"}\n`);
    await expect(collect(path)).rejects.toThrow(`${path}:1: not a trace event: field "ts" must be a number`);
  });

  it('refuses a trace from a newer format version', async () => {
    const path = join(dir, 'future.jsonl');
    writeFileSync(path, `{"$trace":{"version":99}}\n{"ts":1,"session":"a","sql":"SELECT 1"}\n`);
    await expect(collect(path)).rejects.toThrow(/trace format version 99 is newer than this tool reads/);
  });

  it('explains a missing file, a directory and a truncated gzip', async () => {
    await expect(collect(join(dir, 'missing.jsonl'))).rejects.toThrow(`${join(dir, 'missing.jsonl')}: no such file`);
    await expect(collect(dir)).rejects.toThrow(`${dir}: is a directory`);
    const truncated = join(dir, 'truncated.jsonl.gz');
    const full = gzipSync(
      Buffer.from(
        events
          .map((e) => JSON.stringify(e) + '\n')
          .join('')
          .repeat(200),
      ),
    );
    writeFileSync(truncated, full.subarray(0, full.length - 40));
    const error = await collect(truncated).catch((e: unknown) => e);
    expect(isStbError(error)).toBe(true);
    expect((error as StbError).code).toBe('E_IO');
    expect((error as StbError).message).toMatch(/truncated\.jsonl\.gz:\d+: compressed input is truncated or corrupt/);
  });

  it('reports a write failure as an StbError naming the path', async () => {
    const sink = new TraceFileSink(join(dir, 'no-such-dir', 'out.jsonl'));
    await sink.write(events);
    await expect(sink.close()).rejects.toThrow(/no-such-dir\/out\.jsonl: cannot write \(ENOENT\)/);
  });
});
