/**
 * `npm run bench:plugin`: the closed loop, select-only (8 connections, as bench:replay runs it), on
 * this machine's PostgreSQL (STB_PG_URL), in the same run:
 *  1. through the in-process PostgreSQL driver (`--driver postgres`): the baseline;
 *  2. through the Go plugin (packages/plugin-sdk/examples/go-postgres: hashicorp/go-plugin, lib/pq),
 *     built here — goal: at least 0.8 of the baseline's throughput;
 *  3. through the TypeScript SDK serving the same in-process driver out of process
 *     (`stb-driver-plugin @sqltrace/driver-postgres`), for reference.
 * Each with the client's CPU per statement: stb's and its plugin's user + system time (the plugin is
 * stb's child, so /usr/bin/time counts it) over the operations run. Runs alternate, paired; medians of
 * STB_BENCH_RUNS (default 3) runs of STB_BENCH_SECONDS (default 10); writes out/bench-plugin.json.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { have, out, requireBuiltCli, root, STB, writeSelectOnlyTrace } from './bench-inputs';
import { measure, median } from './measure';

const URL_ = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.STB_BENCH_SECONDS ?? 10);
const u = new URL(URL_);
const pgArgs = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), u.pathname.slice(1) || 'test'];
const GO_PLUGIN = join(out, 'stb-go-postgres-plugin');
const TS_PLUGIN = `plugin:${join(root, 'packages/plugin-sdk/bin/driver-plugin.js')}?${encodeURIComponent('@sqltrace/driver-postgres')}`;

interface Run {
  readonly throughput: number;
  readonly operations: number;
  readonly errors: number;
  /** Client CPU (stb and its plugin), microseconds per statement. */
  readonly cpuUs: number;
}

async function closed(driver: string): Promise<Run> {
  const m = await measure('/usr/bin/time', [
    '-f',
    'STB_CPU %U %S',
    process.execPath,
    STB,
    'bench',
    join(out, 'plugin-select-only.jsonl'),
    '--driver',
    driver,
    '--url',
    URL_,
    '--mode',
    'closed',
    '-c',
    '8',
    '--duration',
    `${SECONDS}s`,
    '--json',
  ]);
  const cpu = /STB_CPU ([\d.]+) ([\d.]+)/.exec(m.stderr);
  if (m.code !== 0 || cpu === null) throw new Error(`stb bench --driver ${driver} failed (exit ${m.code}): ${m.stderr.slice(-500)}`);
  const r = JSON.parse(m.stdout) as { throughput: number; operations: number; errors: number };
  return { throughput: r.throughput, operations: r.operations, errors: r.errors, cpuUs: ((Number(cpu[1]) + Number(cpu[2])) * 1e6) / r.operations };
}

async function main(): Promise<void> {
  requireBuiltCli();
  if (!have('pgbench')) throw new Error('pgbench is needed (apt-get install postgresql-client)');
  if (!have('go')) throw new Error('Go is needed for the Go plugin (see packages/plugin-sdk/examples/go-postgres/build.sh)');
  process.stderr.write('building the Go plugin …\n');
  execFileSync(join(root, 'packages/plugin-sdk/examples/go-postgres/build.sh'), [GO_PLUGIN], { stdio: ['ignore', 'ignore', 'inherit'] });
  const init = await measure('pgbench', ['-i', '-s', '1', '-q', ...pgArgs]);
  if (init.code !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  writeSelectOnlyTrace(join(out, 'plugin-select-only.jsonl'));
  const sides = [
    { name: 'in-process PostgreSQL driver', driver: 'postgres' },
    { name: 'Go plugin (go-plugin, lib/pq)', driver: `plugin:${GO_PLUGIN}` },
    { name: 'TypeScript SDK plugin (driver-postgres)', driver: TS_PLUGIN },
  ];
  const runs = new Map<string, Run[]>(sides.map((s) => [s.name, []]));
  for (let r = 0; r < RUNS; r++) {
    // Alternate the order, so that no side always runs on a warmer server.
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      process.stderr.write(`  run ${r + 1}/${RUNS}: ${side.name} …\n`);
      runs.get(side.name)!.push(await closed(side.driver));
    }
  }
  const base = runs.get(sides[0]!.name)!;
  const lines = [
    `\nbench:plugin — closed loop, select-only, 8 connections, ${SECONDS} s, PostgreSQL at ${u.host}; medians of ${RUNS} runs (ratios: median of paired ratios)\n`,
  ];
  const report: Record<string, unknown> = { runs: RUNS, seconds: SECONDS };
  for (const side of sides) {
    const rs = runs.get(side.name)!;
    const ratio = median(rs.map((x, i) => x.throughput / base[i]!.throughput));
    const errors = rs.reduce((n, x) => n + x.errors, 0);
    const verdict = side.driver.includes(GO_PLUGIN) ? `   (goal ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'})` : '';
    lines.push(
      `  ${side.name.padEnd(42)} ${median(rs.map((x) => x.throughput))
        .toFixed(0)
        .padStart(
          6,
        )} statements/s   ${ratio.toFixed(2)}× the in-process driver   client CPU ${median(rs.map((x) => x.cpuUs)).toFixed(1)} µs/statement   ${errors} errors${verdict}`,
    );
    report[side.name] = { runs: rs, ratio };
  }
  console.log(lines.join('\n'));
  writeFileSync(join(out, 'bench-plugin.json'), JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(`bench:plugin: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
