/**
 * `npm run bench:validate`: `stb validate` on two 1,000,000-event traces (generated from the
 * bench:generate model with two seeds), with time and peak memory; and the two-sample KS test alone
 * on the same inter-arrival samples (1,000,000 values a side), ours in Node beside SciPy's
 * `ks_2samp` in the same run. Goal: our KS at least as fast as SciPy's. Writes out/bench-validate.json.
 *
 * Options (environment): STB_BENCH_EVENTS (default 1,000,000), STB_BENCH_RUNS (default 3), STB_BENCH_MB
 * (size of the log the model is trained on, default 100).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureLog, have, here, out, repeat, requireBuiltCli, STB } from './bench-inputs';
import { measure, median } from './measure';

const EVENTS = Number(process.env.STB_BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const MB = Number(process.env.STB_BENCH_MB ?? 100);

async function run(args: string[], label: string): Promise<string> {
  const r = await measure(process.execPath, [STB, ...args]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${label} failed (exit ${r.code}): ${r.stderr.slice(0, 400)}`);
  return r.stdout;
}

/** Inter-arrival times (µs between consecutive events) of a trace, as a float64 file. */
function interArrivals(trace: string, file: string): number {
  const lines = readFileSync(trace, 'utf8').split('\n');
  const ts: number[] = [];
  for (const line of lines) if (line.startsWith('{"ts":')) ts.push(Number(line.slice(6, line.indexOf(','))));
  const gaps = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) gaps[i - 1] = ts[i]! - ts[i - 1]!;
  writeFileSync(file, Buffer.from(gaps.buffer));
  return gaps.length;
}

async function main(): Promise<void> {
  requireBuiltCli();
  const model = join(out, 'generate-model.json');
  if (!existsSync(model)) {
    const log = await ensureLog('pg-stderr', 'bench-generate', MB);
    const trace = join(out, `generate-trace-${MB}MB.jsonl`);
    if (!existsSync(trace)) await run(['parse', log.path, '-o', trace], 'stb parse');
    await run(['train', trace, '-o', model], 'stb train');
  }
  const a = join(out, 'validate-a.jsonl'),
    b = join(out, 'validate-b.jsonl');
  await run(['generate', model, '-o', a, '--events', String(EVENTS), '--seed', 'a'], 'stb generate a');
  await run(['generate', model, '-o', b, '--events', String(EVENTS), '--seed', 'b'], 'stb generate b');

  const validate = await repeat(RUNS, () => measure(process.execPath, [STB, 'validate', a, b, '--json']), 'stb validate');
  const report = JSON.parse(validate.last.stdout) as { score: number; passed: boolean; original: { events: number }; synthetic: { events: number } };

  const fa = join(out, 'ks-a.f64'),
    fb = join(out, 'ks-b.f64');
  const n = [interArrivals(a, fa), interArrivals(b, fb)];
  const ours = JSON.parse((await measure(process.execPath, [join(here, 'ks-timing.mjs'), fa, fb, String(Math.max(5, RUNS))])).stdout) as {
    statistic: number;
    pValue: number;
    seconds: number[];
  };
  let scipy: { statistic: number; pValue: number; seconds: number[] } | undefined;
  if (have('python3')) {
    const r = await measure('python3', [join(here, 'ks_timing_scipy.py'), fa, fb, String(Math.max(5, RUNS))]);
    if (r.code === 0) scipy = JSON.parse(r.stdout);
    else process.stderr.write(`scipy timing failed (python3 with scipy needed: apt-get install python3-scipy): ${r.stderr.slice(0, 300)}\n`);
  }

  console.log(
    `\nbench:validate — two traces of ${report.original.events.toLocaleString('en')} and ${report.synthetic.events.toLocaleString('en')} events, medians of ${RUNS} runs\n`,
  );
  console.log(
    `stb validate (whole comparison, process start included)  ${validate.seconds.toFixed(2)} s   peak ${validate.peakMB.toFixed(0)} MB   score ${report.score.toFixed(3)} ${report.passed ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `\ntwo-sample KS on the inter-arrival samples (${n[0]!.toLocaleString('en')} vs ${n[1]!.toLocaleString('en')} values), median of ${ours.seconds.length} runs:`,
  );
  console.log(
    `  @sqltrace/validator ksTwoSample   ${(median(ours.seconds) * 1000).toFixed(1)} ms   D = ${ours.statistic.toFixed(6)}  p = ${ours.pValue.toExponential(3)}`,
  );
  if (scipy) {
    console.log(
      `  scipy.stats.ks_2samp              ${(median(scipy.seconds) * 1000).toFixed(1)} ms   D = ${scipy.statistic.toFixed(6)}  p = ${scipy.pValue.toExponential(3)}`,
    );
    const ratio = median(scipy.seconds) / median(ours.seconds);
    console.log(
      `\n  ours / SciPy speed = ${ratio.toFixed(2)}× (goal ≥ 1: ${ratio >= 1 ? 'met' : 'NOT met'}); same statistic: ${Math.abs(ours.statistic - scipy.statistic) < 1e-12 ? 'yes' : 'NO'}`,
    );
  }
  writeFileSync(
    join(out, 'bench-validate.json'),
    JSON.stringify(
      { events: EVENTS, runs: RUNS, validate: { seconds: validate.seconds, peakMB: validate.peakMB, score: report.score }, ks: { n, ours, scipy } },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
