/**
 * `npm run bench:replay-mysql`: on this machine's MariaDB (STB_MYSQL_URL, default
 * 127.0.0.1:3306), sysbench oltp_read_write against stb on the same tables, in the same run, for
 * the text protocol (--db-ps-mode=disable) and prepared statements (--db-ps-mode=auto):
 *  1. `sysbench --threads=8 --time=S run`: its queries per second, the baseline;
 *  2. a general log captured from `sysbench --threads=8` (20 s, the log on before it connects)
 *     replayed as fast as the server goes: `stb bench --speed max -d S` (each session waits for
 *     an answer before its next statement, as sysbench's threads do);
 *  3. the same trace in a closed loop: `stb bench --mode closed -c 8 -d S`;
 *  4. step 2 through mysql2 (`--url …?client=mysql2`), the client the driver used before its
 *     own wire client: what the lean path gains, paired run by run.
 * The tables are made afresh (sysbench cleanup + prepare) before every run. Goal: ≥ 0.9 of
 * sysbench's rate for 2 and 3. Medians of STB_BENCH_RUNS (default 3) and of per-run ratios;
 * writes out/bench-replay-mysql.json.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { have, out, requireBuiltCli, root, STB } from './bench-inputs';
import { measure, median } from './measure';

const URL_ = new URL(process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.STB_BENCH_SECONDS ?? 10);
const DATABASE = 'stb_capture_sysbench';
const sysbenchArgs = [
  'oltp_read_write',
  '--db-driver=mysql',
  `--mysql-host=${URL_.hostname}`,
  `--mysql-port=${URL_.port || 3306}`,
  `--mysql-user=${decodeURIComponent(URL_.username || 'root')}`,
  ...(URL_.password ? [`--mysql-password=${decodeURIComponent(URL_.password)}`] : []),
  `--mysql-db=${DATABASE}`,
  '--tables=4',
  '--table-size=10000',
];
const target = new URL(URL_);
target.pathname = `/${DATABASE}`;

async function must(command: string, args: readonly string[], what: string, cwd?: string): Promise<string> {
  const m = await measure(command, args, { cwd });
  if (m.code !== 0)
    throw new Error(
      `${what} failed (exit ${m.code}): ${m.stderr.trim().split('\n').slice(-3).join(' | ') || m.stdout.trim().split('\n').slice(-3).join(' | ')}`,
    );
  return m.stdout;
}

async function freshTables(): Promise<void> {
  await must('sysbench', [...sysbenchArgs, 'cleanup'], 'sysbench cleanup');
  await must('sysbench', [...sysbenchArgs, 'prepare'], 'sysbench prepare');
}

async function sysbench(psMode: string): Promise<number> {
  await freshTables();
  const stdout = await must('sysbench', [...sysbenchArgs, '--threads=8', `--time=${SECONDS}`, `--db-ps-mode=${psMode}`, 'run'], 'sysbench run');
  const qps = /queries:\s+\d+\s+\(([\d.]+) per sec\.\)/.exec(stdout);
  if (qps === null) throw new Error(`sysbench printed no queries per second:\n${stdout}`);
  return Number(qps[1]);
}

async function stb(trace: string, args: readonly string[], client = 'auto'): Promise<{ throughput: number; errors: number; operations: number }> {
  await freshTables();
  const url = new URL(target);
  if (client !== 'auto') url.searchParams.set('client', client);
  const json = await must(
    process.execPath,
    [STB, 'bench', trace, '--driver', 'mysql', '--url', url.toString(), '-d', `${SECONDS}s`, '--json', ...args],
    `stb bench ${args.join(' ')}`,
  );
  const r = JSON.parse(json) as { throughput: number; errors: number; operations: number };
  return { throughput: r.throughput, errors: r.errors, operations: r.operations };
}

async function capture(psMode: string): Promise<string> {
  const log = join(out, `sysbench-${psMode}.log`);
  const trace = join(out, `sysbench-${psMode}.jsonl`);
  if (!existsSync(trace)) {
    process.stderr.write(`capturing ${log} (sysbench --threads=8, 20 s, --db-ps-mode=${psMode}) …\n`);
    await must(
      'npm',
      ['run', '-s', '-w', '@sqltrace/capture', 'capture', '--', 'sysbench', '-o', log, '--threads', '8', '--seconds', '20', '--ps-mode', psMode],
      'capture',
      root,
    );
    await must(process.execPath, [STB, 'parse', log, '-o', trace], 'stb parse');
  }
  return trace;
}

async function main(): Promise<void> {
  requireBuiltCli();
  if (!have('sysbench')) throw new Error('sysbench is not installed (apt-get install sysbench)');
  const report: Record<string, unknown> = { runs: RUNS, seconds: SECONDS };
  const lines: string[] = [];
  for (const psMode of ['disable', 'auto']) {
    const trace = await capture(psMode);
    const base: number[] = [],
      replay: number[] = [],
      closed: number[] = [],
      viaMysql2: number[] = [];
    let errors = 0;
    for (let r = 0; r < RUNS; r++) {
      process.stderr.write(`  ${psMode} run ${r + 1}/${RUNS} …\n`);
      base.push(await sysbench(psMode));
      const a = await stb(trace, ['--speed', 'max']);
      const b = await stb(trace, ['--mode', 'closed', '-c', '8']);
      const c = await stb(trace, ['--speed', 'max'], 'mysql2');
      replay.push(a.throughput);
      closed.push(b.throughput);
      viaMysql2.push(c.throughput);
      errors += a.errors;
    }
    const replayRatio = median(replay.map((t, i) => t / base[i]!));
    const closedRatio = median(closed.map((t, i) => t / base[i]!));
    const mysql2Ratio = median(viaMysql2.map((t, i) => t / base[i]!));
    const gain = median(replay.map((t, i) => t / viaMysql2[i]!));
    report[psMode] = { sysbench: base, replay, closed, mysql2: viaMysql2, replayRatio, closedRatio, mysql2Ratio, wireOverMysql2: gain, replayErrors: errors };
    const label = psMode === 'disable' ? 'text protocol (--db-ps-mode=disable)' : 'prepared statements (--db-ps-mode=auto)';
    lines.push(`${label}:`);
    lines.push(`  sysbench --threads=8                 ${median(base).toFixed(0)} queries/s (baseline)`);
    lines.push(
      `  stb bench --speed max (its log)      ${median(replay).toFixed(0)} statements/s   ratio ${replayRatio.toFixed(2)} (goal ≥ 0.9: ${replayRatio >= 0.9 ? 'met' : 'NOT met'}; ${errors} errors in all runs)`,
    );
    lines.push(
      `  stb bench --mode closed -c 8         ${median(closed).toFixed(0)} statements/s   ratio ${closedRatio.toFixed(2)} (goal ≥ 0.9: ${closedRatio >= 0.9 ? 'met' : 'NOT met'})`,
    );
    lines.push(
      `  stb bench --speed max, via mysql2    ${median(viaMysql2).toFixed(0)} statements/s   ratio ${mysql2Ratio.toFixed(2)} (the wire client: ×${gain.toFixed(2)} of it, paired)`,
    );
  }
  console.log(
    `\nbench:replay-mysql — MariaDB at ${URL_.hostname}:${URL_.port || 3306}, ${SECONDS} s each, medians of ${RUNS} runs (ratios: median of per-run ratios)\n`,
  );
  console.log(lines.join('\n'));
  writeFileSync(join(out, 'bench-replay-mysql.json'), JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(`bench:replay-mysql: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
