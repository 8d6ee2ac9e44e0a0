/**
 * `npm run bench:train`: training throughput (sequences/s) of our LSTM and transformer beside a
 * plain TensorFlow.js model of the same size on the plain JS backend, in the same run; goal: at
 * least 5 times the baseline. Each measurement runs in its own process (train-worker.ts) for its
 * peak memory; medians of STB_BENCH_RUNS (default 3). Writes out/bench-train.json.
 *
 * Size (as in the issue): 50 templates, window 16, 64 units. Ours run on the best backend
 * installed (tfjs-node, else WebAssembly) at batch 256; the baselines on the JS backend at batch 64.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { here, out, root } from './bench-inputs';
import { measure, median } from './measure';

const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const CASES = ['baseline-lstm', 'lstm', 'baseline-transformer', 'transformer'] as const;

interface Figures {
  sequencesPerSecond: number;
  peakMB: number;
  backend: string;
  batch: number;
}

async function run(kind: string): Promise<Figures> {
  const rates: number[] = [];
  const peaks: number[] = [];
  let last: { backend: string; batch: number } | undefined;
  process.env.TSX_TSCONFIG_PATH = join(root, 'tsconfig.base.json');
  for (let i = 0; i < RUNS; i++) {
    const m = await measure(process.execPath, ['--import', 'tsx', join(here, 'train-worker.ts'), kind]);
    if (m.code !== 0) throw new Error(`${kind} failed (exit ${m.code}): ${m.stderr.slice(0, 500)}`);
    const line = m.stdout.trim().split('\n').pop()!;
    const r = JSON.parse(line) as { sequencesPerSecond: number; backend: string; batch: number };
    rates.push(r.sequencesPerSecond);
    peaks.push(m.peakMB);
    last = r;
    process.stderr.write(
      `  ${kind}: run ${i + 1}/${RUNS} ${r.sequencesPerSecond.toFixed(0)} seq/s, ${m.peakMB.toFixed(0)} MB (${r.backend}, batch ${r.batch})\n`,
    );
  }
  return { sequencesPerSecond: median(rates), peakMB: Math.max(...peaks), backend: last!.backend, batch: last!.batch };
}

async function main(): Promise<void> {
  const results: Record<string, Figures> = {};
  for (const kind of CASES) results[kind] = await run(kind);
  const baseline = results['baseline-lstm']!.sequencesPerSecond;
  const line = (name: string, f: Figures, against: number) =>
    `${name.padEnd(46)} ${f.sequencesPerSecond.toFixed(0).padStart(7)} seq/s  ${f.peakMB.toFixed(0).padStart(5)} MB  ${(f.sequencesPerSecond / against).toFixed(1).padStart(5)}×`;
  console.log(`\ntraining throughput, 50 templates, window 16, 64 units — medians of ${RUNS} (ratio against the plain tfjs LSTM)`);
  console.log(line('plain tfjs LSTM (tf.layers, cpu, batch 64)', results['baseline-lstm']!, baseline));
  console.log(line(`stb lstm (${results.lstm!.backend}, batch ${results.lstm!.batch})`, results.lstm!, baseline));
  console.log(line('our transformer run plainly (cpu, batch 64)', results['baseline-transformer']!, baseline));
  console.log(line(`stb transformer (${results.transformer!.backend}, batch ${results.transformer!.batch})`, results.transformer!, baseline));
  const lstmRatio = results.lstm!.sequencesPerSecond / baseline;
  const transformerRatio = results.transformer!.sequencesPerSecond / baseline;
  console.log(
    `\ngoal ≥ 5× the plain tfjs model: lstm ${lstmRatio.toFixed(1)}× ${lstmRatio >= 5 ? 'met' : 'NOT met'}, transformer ${transformerRatio.toFixed(1)}× ${transformerRatio >= 5 ? 'met' : 'NOT met'} (against its own plain run: ${(results.transformer!.sequencesPerSecond / results['baseline-transformer']!.sequencesPerSecond).toFixed(1)}×)`,
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench-train.json'), JSON.stringify({ runs: RUNS, results, lstmRatio, transformerRatio }, null, 2));
}

await main();
