/**
 * `npm run bench:fidelity`: does a synthetic trace load a database the way the original did?
 * On this machine's PostgreSQL (STB_PG_URL, default 127.0.0.1:5432), in one run:
 *  1. a real log is captured: `pgbench -c 8 -j 2 -T 30` TPC-B with every statement logged
 *     (tools/capture);
 *  2. `stb parse`, `stb train` (markov), `stb generate` as many events;
 *  3. the original and the synthetic trace are each replayed at `--speed 1 --duration 20s` against
 *     the same database, initialised afresh (`pgbench -i -s 10`) before every replay, alternating,
 *     STB_BENCH_RUNS times (default 3).
 * Prints both runs' throughput, response-time p99 and connections open (peak, and the mean of the
 * per-second peaks), and the ratios; the goal is throughput within 10% and the same connections
 * (±1). Writes out/bench-fidelity.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fidelityCapture, freshPgbenchDatabase } from '@sqltrace/capture';
import { have, out, requireBuiltCli, STB } from './bench-inputs';
import { measure, median } from './measure';

const URL_ = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const TARGET = 'stb_fidelity_target';

interface Replay {
  readonly throughput: number;
  readonly p99: number;
  readonly peakConnections: number;
  readonly meanConnections: number;
  readonly errors: number;
}

async function stb(args: string[]): Promise<Record<string, unknown>> {
  const m = await measure(process.execPath, [STB, ...args, '--json']);
  if (m.code !== 0) throw new Error(`stb ${args[0]} failed (exit ${m.code}): ${m.stderr.slice(0, 400)}`);
  return JSON.parse(m.stdout) as Record<string, unknown>;
}

async function replay(trace: string, label: string): Promise<Replay> {
  const target = await freshPgbenchDatabase(URL_, TARGET);
  const results = join(out, `fidelity-${label}.json`);
  const r = await stb(['bench', trace, '--driver', 'postgres', '--url', target, '--speed', '1', '--duration', '20s', '-o', results]);
  const timeline = r.timeline as { openConnections: number[] };
  const seconds = timeline.openConnections.slice(1, -1); // whole seconds inside the run
  return {
    throughput: r.throughput as number,
    p99: (r.responseTime as { p99: number }).p99,
    peakConnections: (r.connections as { peak: number }).peak,
    meanConnections: seconds.reduce((a, b) => a + b, 0) / Math.max(1, seconds.length),
    errors: r.errors as number,
  };
}

async function main(): Promise<void> {
  requireBuiltCli();
  if (!have('pgbench')) throw new Error('pgbench is needed (apt-get install postgresql-client)');
  const log = join(out, 'fidelity-tpcb.log');
  const captured = await fidelityCapture('tpcb').capture(log, URL_);
  process.stderr.write(`captured ${captured.lines} log lines (pgbench ${captured.clientReport})\n`);
  const original = join(out, 'fidelity-original.jsonl');
  const model = join(out, 'fidelity-model.json');
  const synthetic = join(out, 'fidelity-synthetic.jsonl');
  const parsed = await stb(['parse', log, '-o', original]);
  await stb(['train', original, '-o', model]);
  await stb(['generate', model, '-o', synthetic, '--events', String(parsed.events), '--seed', '1']);
  const validation = await measure(process.execPath, [STB, 'validate', original, synthetic]);
  process.stderr.write(
    validation.stdout
      .split('\n')
      .filter((l) => /FAIL|score|concurrency/.test(l))
      .join('\n') + '\n',
  );

  const runs: { original: Replay; synthetic: Replay }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const o = await replay(original, `original-${i}`);
    const s = await replay(synthetic, `synthetic-${i}`);
    runs.push({ original: o, synthetic: s });
    process.stderr.write(
      `  run ${i + 1}/${RUNS}: original ${o.throughput.toFixed(0)} ops/s, ${o.peakConnections} connections; synthetic ${s.throughput.toFixed(0)} ops/s, ${s.peakConnections} connections\n`,
    );
  }
  const med = (pick: (r: Replay) => number, side: 'original' | 'synthetic') => median(runs.map((r) => pick(r[side])));
  const ratio = median(runs.map((r) => r.synthetic.throughput / r.original.throughput));
  const rows: [string, string, string, string][] = [
    [
      'throughput (ops/s)',
      med((r) => r.throughput, 'original').toFixed(0),
      med((r) => r.throughput, 'synthetic').toFixed(0),
      `${ratio.toFixed(3)}× (goal 0.90–1.10)`,
    ],
    [
      'response p99 (ms)',
      med((r) => r.p99, 'original').toFixed(2),
      med((r) => r.p99, 'synthetic').toFixed(2),
      `${(med((r) => r.p99, 'synthetic') / med((r) => r.p99, 'original')).toFixed(3)}×`,
    ],
    [
      'connections, peak',
      String(med((r) => r.peakConnections, 'original')),
      String(med((r) => r.peakConnections, 'synthetic')),
      `${med((r) => r.peakConnections, 'synthetic') - med((r) => r.peakConnections, 'original')} (goal ±1)`,
    ],
    ['connections, mean of per-second peaks', med((r) => r.meanConnections, 'original').toFixed(2), med((r) => r.meanConnections, 'synthetic').toFixed(2), ''],
    ['errors', String(med((r) => r.errors, 'original')), String(med((r) => r.errors, 'synthetic')), ''],
  ];
  console.log(
    `\nbench:fidelity — pgbench -c 8 -j 2 TPC-B log (${parsed.events} statements) and its synthetic trace, each replayed at --speed 1 for 20 s on a fresh pgbench -s 10 database; medians of ${RUNS} paired runs\n`,
  );
  const cell = (c: string, i: number) => (i === 0 ? c.padEnd(40) : i === 3 ? `   ${c}` : c.padStart(12));
  console.log(['', 'original', 'synthetic', 'synthetic / original'].map(cell).join(''));
  for (const row of rows) console.log(row.map(cell).join(''));
  writeFileSync(join(out, 'bench-fidelity.json'), JSON.stringify({ events: parsed.events, runs, throughputRatio: ratio }, null, 2));
}

main().catch((error: unknown) => {
  console.error(`bench:fidelity: ${(error as Error).message}`);
  process.exit(1);
});
