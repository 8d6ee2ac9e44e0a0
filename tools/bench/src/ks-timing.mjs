// Times ksTwoSample (in this process, after a warm-up) on two float64 sample files.
// Usage: node ks-timing.mjs a.f64 b.f64 runs  → prints JSON {statistic, pValue, seconds[]}
import { readFileSync } from 'node:fs';
import { ksTwoSample } from '@sqltrace/validator';

const [fileA, fileB, runsText] = process.argv.slice(2);
const load = (f) => {
  const buffer = readFileSync(f);
  return new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8);
};
const a = load(fileA), b = load(fileB);
ksTwoSample(a.subarray(0, 10_000), b.subarray(0, 10_000)); // warm-up
const seconds = [];
let result;
for (let r = 0; r < Number(runsText); r++) {
  const t = performance.now();
  result = ksTwoSample(a, b);
  seconds.push((performance.now() - t) / 1000);
}
console.log(JSON.stringify({ statistic: result.statistic, pValue: result.pValue, seconds }));
