/**
 * `npm run bench:parse`: `stb parse` and the normalizer on large, deterministic, real-looking logs
 * (PostgreSQL stderr, PostgreSQL csvlog, MySQL general log; 200 MB each by default), beside the
 * tools people use today on the same files in the same run when they are installed (pgbadger,
 * pgreplay, pt-query-digest, pt-fingerprint). Prints medians and ratios; writes out/bench-parse.json.
 *
 * Options (environment): STB_BENCH_MB (size of each log, default 200), STB_BENCH_RUNS (default 3;
 * pgreplay and pt-fingerprint, a few seconds a run, run as often, pgreplay paired run by run with
 * stb), STB_BENCH_BASELINE_RUNS (default 1, for pgbadger and pt-query-digest, which take minutes).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureLog, have, out, repeat, requireBuiltCli, root, STB } from './bench-inputs';
import { type Measurement, measure, median } from './measure';
import type * as Parser from '@sqltrace/parser';

const MB = Number(process.env.STB_BENCH_MB ?? 200);
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const BASELINE_RUNS = Number(process.env.STB_BENCH_BASELINE_RUNS ?? 1);
// pgreplay reads stderr logs only with this log_line_prefix; pgbadger and stb take any.
const PREFIX = '%m|%u|%d|%c|';

interface Row {
  readonly tool: string;
  readonly input: string;
  readonly statements: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly statementsPerSecond: number;
  readonly peakMB: number;
  readonly runs: number;
  readonly note?: string;
}

const rows: Row[] = [];

/** pgreplay prints "Total SQL statements processed: N": a baseline that read nothing is no baseline. */
function pgreplayCount(m: Measurement): number {
  const found = /Total SQL statements processed: (\d+)/.exec(m.stdout + m.stderr);
  return found ? Number(found[1]) : NaN;
}

function record(
  tool: string,
  input: { path: string; bytes: number },
  statements: number,
  r: { seconds: number; peakMB: number },
  runs: number,
  note?: string,
): Row {
  const row: Row = {
    tool,
    input: input.path.split('/').pop()!,
    statements,
    seconds: r.seconds,
    mbPerSecond: input.bytes / 1048576 / r.seconds,
    statementsPerSecond: statements / r.seconds,
    peakMB: r.peakMB,
    runs,
    ...(note ? { note } : {}),
  };
  rows.push(row);
  return row;
}

/** Ratios of stb to a baseline measured back to back, run by run (see `stbParse`). */
const pairedRatios = new Map<string, number>();

/**
 * `stb parse` RUNS times. With a baseline (a few seconds a run), each stb run is followed by a
 * baseline run: the median of those per-run ratios is steadier on a shared machine whose speed
 * drifts between runs than a ratio of medians (it is what the goals use).
 */
async function stbParse(
  input: { path: string; bytes: number },
  threads: number,
  baseline?: { tool: string; args: string[]; note?: (m: Measurement) => string },
): Promise<Row> {
  const output = join(out, 'parsed.jsonl');
  const name = input.path.split('/').pop()!;
  const stbTimes: number[] = [],
    stbPeaks: number[] = [],
    baseTimes: number[] = [],
    basePeaks: number[] = [];
  let last: Measurement | undefined, baseLast: Measurement | undefined;
  for (let r = 0; r < RUNS; r++) {
    const one = await repeat(
      1,
      () => measure(process.execPath, [STB, 'parse', input.path, '-o', output, '--json', '--threads', String(threads)]),
      `stb parse --threads ${threads} ${name} (${r + 1}/${RUNS})`,
    );
    stbTimes.push(one.seconds);
    stbPeaks.push(one.peakMB);
    last = one.last;
    if (baseline !== undefined) {
      const b = await repeat(1, () => measure(baseline.tool, baseline.args), `${baseline.tool} ${name} (${r + 1}/${RUNS})`);
      baseTimes.push(b.seconds);
      basePeaks.push(b.peakMB);
      baseLast = b.last;
    }
  }
  const statements = (JSON.parse(last!.stdout) as { events: number }).events;
  const row = record(`stb parse${threads === 0 ? ' (1 thread)' : ''}`, input, statements, { seconds: median(stbTimes), peakMB: Math.max(...stbPeaks) }, RUNS);
  if (baseline !== undefined) {
    const tool = `${baseline.tool} ${baseline.args.filter((a) => a.startsWith('-') && a !== '-o').join(' ')}`;
    record(tool, input, statements, { seconds: median(baseTimes), peakMB: Math.max(...basePeaks) }, RUNS, baseline.note?.(baseLast!));
    pairedRatios.set(tool, median(baseTimes.map((b, i) => b / stbTimes[i]!)));
  }
  return row;
}

async function main(): Promise<void> {
  requireBuiltCli();
  const pgStderr = await ensureLog('pg-stderr-pipe', 'bench-pg', MB);
  const pgCsv = await ensureLog('pg-csv', 'bench-csv', MB);
  const mysql = await ensureLog('mysql-general', 'bench-mysql', MB);

  // PostgreSQL stderr: stb beside pgreplay's parser (-f: parse to a replay file), run by run, and pgbadger.
  const counted = (m: Measurement) => `pgreplay counted ${pgreplayCount(m)} statements`;
  const stbStderr = await stbParse(
    pgStderr,
    1,
    have('pgreplay') ? { tool: 'pgreplay', args: ['-f', '-o', join(out, 'pgreplay-stderr.replay'), pgStderr.path], note: counted } : undefined,
  );
  await stbParse(pgStderr, 0);
  if (have('pgbadger')) {
    const r = await repeat(
      BASELINE_RUNS,
      () => measure('pgbadger', ['-f', 'stderr', '--prefix', PREFIX, '-j', '1', '-q', '-o', join(out, 'pgbadger.txt'), '-x', 'text', pgStderr.path]),
      'pgbadger',
    );
    record('pgbadger', pgStderr, stbStderr.statements, r, BASELINE_RUNS);
  } else
    rows.push({
      tool: 'pgbadger',
      input: 'not installed (apt-get install pgbadger)',
      statements: 0,
      seconds: NaN,
      mbPerSecond: NaN,
      statementsPerSecond: NaN,
      peakMB: NaN,
      runs: 0,
    });

  // PostgreSQL csvlog: stb beside pgreplay's parser, run by run.
  await stbParse(
    pgCsv,
    1,
    have('pgreplay') ? { tool: 'pgreplay', args: ['-f', '-c', '-o', join(out, 'pgreplay.replay'), pgCsv.path], note: counted } : undefined,
  );
  await stbParse(pgCsv, 0);

  // MySQL general log: stb vs pt-query-digest.
  const stbMysql = await stbParse(mysql, 1);
  await stbParse(mysql, 0);
  if (have('pt-query-digest')) {
    const r = await repeat(
      BASELINE_RUNS,
      () => measure('pt-query-digest', ['--type', 'genlog', '--output', 'report', '--report-format', 'profile', mysql.path]),
      'pt-query-digest',
    );
    record('pt-query-digest --type genlog', mysql, stbMysql.statements, r, BASELINE_RUNS);
  }

  // The normalizer alone, in this process, on SQL taken from the MySQL log, beside pt-fingerprint.
  const { Normalizer, LogParser } = (await import(join(root, 'packages/parser/dist/index.js'))) as typeof Parser;
  const sqls: string[] = [];
  const parser = new LogParser(mysql.path, { normalize: false });
  for await (const batch of parser.batches()) {
    for (const e of batch) sqls.push(e.sql);
    if (sqls.length >= 500_000) break;
  }
  const normalizerTimes: number[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const normalizer = new Normalizer({ dialect: 'mysql' });
    const t = performance.now();
    for (let i = 0; i < sqls.length; i++) normalizer.normalize(sqls[i]!);
    if (r > 0) normalizerTimes.push((performance.now() - t) / 1000); // the first run warms the JIT up
  }
  const normBytes = sqls.reduce((n, s) => n + s.length + 1, 0);
  const normRow = record(
    'stb normalizer (in process)',
    { path: `${sqls.length} MySQL statements`, bytes: normBytes },
    sqls.length,
    { seconds: median(normalizerTimes), peakMB: process.memoryUsage().rss / 1048576 },
    RUNS,
  );
  if (have('pt-fingerprint')) {
    const file = join(out, 'queries.sql');
    writeFileSync(file, sqls.map((s) => s.replace(/;\s*$/, '')).join(';\n') + ';\n');
    // A few seconds a run: measured as often as the normalizer, the median is steadier than one run.
    const r = await repeat(RUNS, () => measure('pt-fingerprint', [file]), 'pt-fingerprint');
    record('pt-fingerprint', { path: file, bytes: normBytes }, sqls.length, r, RUNS);
  }

  // Report.
  const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
  console.log(
    `\nbench:parse — ${MB} MB logs, median of ${RUNS} runs for stb, pgreplay and pt-fingerprint, ${BASELINE_RUNS} for pgbadger and pt-query-digest (${new Date().toISOString()}, node ${process.version})\n`,
  );
  console.log(
    [
      'tool'.padEnd(32),
      'input'.padEnd(26),
      'statements'.padStart(11),
      'seconds'.padStart(8),
      'MB/s'.padStart(7),
      'stmts/s'.padStart(10),
      'peak MB'.padStart(8),
    ].join('  '),
  );
  for (const r of rows) {
    console.log(
      [
        r.tool.padEnd(32),
        r.input.slice(0, 26).padEnd(26),
        fmt(r.statements).padStart(11),
        fmt(r.seconds, 2).padStart(8),
        fmt(r.mbPerSecond, 1).padStart(7),
        fmt(r.statementsPerSecond).padStart(10),
        fmt(r.peakMB).padStart(8),
        r.note ?? '',
      ]
        .join('  ')
        .trimEnd(),
    );
  }
  const ratio = (a: Row | undefined, b: Row | undefined) => (a && b && Number.isFinite(b.seconds) ? a.statementsPerSecond / b.statementsPerSecond : NaN);
  const find = (tool: string, input?: string) => rows.find((r) => r.tool === tool && (input === undefined || r.input.startsWith(input)));
  const paired = (tool: string) => pairedRatios.get(tool) ?? NaN;
  const goals = [
    ['stb parse / pgreplay -f (pg stderr)', paired('pgreplay -f'), 1],
    ['stb parse / pgbadger (pg stderr)', ratio(stbStderr, find('pgbadger')), 20],
    ['stb parse / pgreplay -f (pg csvlog)', paired('pgreplay -f -c'), 1],
    ['stb parse / pt-query-digest (mysql general)', ratio(stbMysql, find('pt-query-digest --type genlog')), 1],
    ['stb normalizer / pt-fingerprint', ratio(normRow, find('pt-fingerprint')), 3],
  ] as const;
  console.log('\nratios (statements/s, higher is better; against pgreplay: the median of per-run ratios, each pair measured back to back)');
  for (const [name, value, goal] of goals) {
    console.log(
      `  ${name.padEnd(46)} ${Number.isFinite(value) ? value.toFixed(2).padStart(7) : '      -'}   goal ≥ ${goal}  ${Number.isFinite(value) ? (value >= goal ? 'met' : 'NOT met') : ''}`,
    );
  }
  const peak = Math.max(...rows.filter((r) => r.tool.startsWith('stb parse')).map((r) => r.peakMB));
  console.log(`  peak memory of stb parse: ${peak.toFixed(0)} MB   goal < 300 MB  ${peak < 300 ? 'met' : 'NOT met'}`);
  writeFileSync(
    join(out, 'bench-parse.json'),
    JSON.stringify({ mb: MB, runs: RUNS, rows, goals: goals.map(([name, value, goal]) => ({ name, value, goal })) }, null, 2),
  );
}

main().catch((error: Error) => {
  console.error(`bench:parse failed: ${error.message}`);
  process.exit(1);
});
