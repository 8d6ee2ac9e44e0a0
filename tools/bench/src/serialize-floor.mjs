// The floor for bench:generate: writes N ready-made events (cycled from the first 20,000 of a
// trace, timestamps advanced) with the toolkit's TraceFileSink — what any generator must at least
// do. Usage: node serialize-floor.mjs <trace.jsonl> <out.jsonl> <events>
import { closeSync, openSync, readSync } from 'node:fs';
import { TraceFileSink } from '@sqltrace/core';

const [input, output, count] = process.argv.slice(2);
const n = Number(count);
// Only the head of the file: 16 MB hold far more than 20,000 events.
const head = Buffer.alloc(16 << 20);
const fd = openSync(input, 'r');
const bytes = readSync(fd, head, 0, head.length, 0);
closeSync(fd);
const lines = head.subarray(0, bytes).toString('utf8').split('\n');
lines.pop(); // possibly cut
const sample = lines.slice(1, 20_001).filter(Boolean).map((l) => JSON.parse(l));
const span = sample[sample.length - 1].ts - sample[0].ts + 1;
const sink = new TraceFileSink(output);
let batch = [];
for (let i = 0; i < n; i++) {
  const e = sample[i % sample.length];
  batch.push({ ...e, ts: e.ts + Math.floor(i / sample.length) * span });
  if (batch.length === 1024) {
    await sink.write(batch);
    batch = [];
  }
}
await sink.write(batch);
await sink.close();
