/**
 * `npm run bench:replay`: on this machine's PostgreSQL (STB_PG_URL, default 127.0.0.1:5432/test),
 * in the same run:
 *  1. the select-only pgbench workload: `stb bench --mode closed -c 8 -j 2` beside `pgbench -S -c 8 -j 2`
 *     (two threads each, goal: at least 0.8 of pgbench's transactions per second), and stb on one
 *     thread (-j 1) for reference;
 *  2. a select-only log captured from `pgbench -S -c 8 -j 2` (log_statement=all for pgbench's sessions
 *     only, through PGOPTIONS, read from the server's stderr log) replayed as fast as the database
 *     allows: `stb bench --speed max` (and with -j 2) beside `pgreplay -r -s 100` (goal: 1.5×
 *     pgreplay's statements per second); both send a session's next statement once the previous
 *     one is answered. And `stb bench --speed max --pipeline 64`, whose sessions do not wait for
 *     the answers (the server runs each session's statements in order all the same). When the
 *     server's log cannot be read (STB_PG_LOG names it; Debian's
 *     /var/log/postgresql/postgresql-<major>-main.log is tried), a log written in pgbench's shape
 *     is used instead, and the output says so;
 *  3. the runner's own ceiling against a driver that does nothing (goal: 50,000 operations/s on one core);
 *  4. session churn on embedded SQLite: 600,000 statements in 200,000 short sessions (one starting
 *     every millisecond of the log, as pgbench -C writes them) beside the same statements in 8
 *     sessions, at --speed max: time, peak memory, connections open at once.
 * Medians of STB_BENCH_RUNS (default 3); writes out/bench-replay.json.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { have, here, lcg, out, requireBuiltCli, STB, writeSelectOnlyTrace } from './bench-inputs';
import { measure, median } from './measure';

const URL_ = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.STB_BENCH_SECONDS ?? 10);
const LOG_STATEMENTS = Number(process.env.STB_BENCH_LOG_STATEMENTS ?? 200_000);
/** Statements in flight per session in the pipelined replay. */
const PIPELINE = 64;
const u = new URL(URL_);
const pgArgs = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
const database = u.pathname.slice(1) || 'test';

/** A select-only log as PostgreSQL writes it with log_statement=all and '%m|%u|%d|%c|'. */
function writeSelectLog(path: string): void {
  const next = lcg(7);
  const lines: string[] = [];
  const t0 = Date.UTC(2026, 10, 27, 10, 0, 0);
  const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
  const sessions = Array.from({ length: 8 }, (_, s) => `6563a0b0.${(0x1000 + s).toString(16)}`);
  sessions.forEach((id, s) => lines.push(`${stamp(t0 + s)}|postgres|${database}|${id}|LOG:  connection authorized: user=postgres database=${database}`));
  for (let i = 0; i < LOG_STATEMENTS; i++) {
    const id = sessions[i % 8]!;
    lines.push(
      `${stamp(t0 + 10 + i * 0.05)}|postgres|${database}|${id}|LOG:  statement: SELECT abalance FROM pgbench_accounts WHERE aid = ${1 + Math.floor(next() * 100_000)};`,
    );
  }
  sessions.forEach((id) =>
    lines.push(
      `${stamp(t0 + 20 + LOG_STATEMENTS * 0.05)}|postgres|${database}|${id}|LOG:  disconnection: session time: 0:00:10.000 user=postgres database=${database} host=[local]`,
    ),
  );
  writeFileSync(path, lines.join('\n') + '\n');
}

const CHURN_SESSIONS = 200_000;

/** The same 600,000 statements in 200,000 sessions of three (one starting every ms of the log) and in 8 sessions. */
function writeChurnTraces(churn: string, steady: string): void {
  const header = '{"$trace":{"version":1,"dialect":"postgres"}}\n';
  const t0 = 1_700_000_000_000_000;
  const lines = (session: (i: number) => string) => {
    const all: string[] = [];
    for (let i = 0; i < CHURN_SESSIONS; i++)
      for (let k = 0; k < 3; k++) all.push(JSON.stringify({ ts: t0 + i * 1_000 + k * 100, session: session(i), sql: `SELECT ${k}`, templateId: `t${k}` }));
    return header + all.join('\n') + '\n';
  };
  writeFileSync(
    churn,
    lines((i) => `c${i}`),
  );
  writeFileSync(
    steady,
    lines((i) => `s${i % 8}`),
  );
}

/** The server's stderr log, when this machine's PostgreSQL writes one that can be read. */
async function serverLog(): Promise<string | undefined> {
  if (process.env.STB_PG_LOG) return process.env.STB_PG_LOG;
  const v = await measure('psql', ['-At', '-c', 'SHOW server_version_num', ...pgArgs, database]);
  const path = `/var/log/postgresql/postgresql-${Math.floor(Number(v.stdout.trim()) / 10_000)}-main.log`;
  return v.code === 0 && existsSync(path) ? path : undefined;
}

/**
 * Captures `pgbench -S -c 8 -j 2` with log_statement=all set for its own sessions (PGOPTIONS) and
 * writes two copies of what the server logged: as logged (Debian's '%m [%p] %q%u@%d ', which stb
 * parses), and in the one form pgreplay reads ('%m|%u|%d|%c|', a connection line opening each
 * session, the session id made from the pid). False when the log cannot be read or has another form.
 */
async function captureSelectLog(captured: string, forPgreplay: string): Promise<boolean> {
  const log = await serverLog();
  if (log === undefined) return false;
  let from: number;
  try {
    from = statSync(log).size;
  } catch {
    return false;
  }
  const run = await new Promise<number | null>((resolve) => {
    const child = spawn('pgbench', ['-S', '-c', '8', '-j', '2', '-t', String(Math.ceil(LOG_STATEMENTS / 8)), '-n', ...pgArgs, database], {
      stdio: 'ignore',
      env: { ...process.env, PGOPTIONS: '-c log_statement=all' },
    });
    child.on('close', resolve);
  });
  if (run !== 0) return false;
  const fd = openSync(log, 'r');
  const bytes = Buffer.alloc(statSync(log).size - from);
  readSync(fd, bytes, 0, bytes.length, from);
  closeSync(fd);
  const lines = bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const line = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+) \[(\d+)\] (\S*)@(\S*) (\w+:  .*)$/;
  if (lines.filter((l) => / statement: SELECT abalance/.test(l)).length < LOG_STATEMENTS || !line.test(lines[0]!)) return false;
  const seen = new Set<string>();
  const stamped = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
  const rewritten = lines.flatMap((l) => {
    const m = line.exec(l);
    if (m === null) return stamped.test(l) ? [] : [l]; // a background process's line (no user@db), or a statement's continuation line
    const [, stamp, pid, user, db, rest] = m;
    const session = `6563a0b0.${Number(pid).toString(16)}`;
    const prefix = `${stamp}|${user}|${db}|${session}|`;
    const opening = seen.has(session) ? '' : `${prefix}LOG:  connection authorized: user=${user} database=${db}\n`;
    seen.add(session);
    return [opening + prefix + rest];
  });
  writeFileSync(captured, lines.join('\n') + '\n');
  writeFileSync(forPgreplay, rewritten.join('\n') + '\n');
  return true;
}

async function stbJson(args: string[]): Promise<{ seconds: number; peakMB: number; json: Record<string, unknown> }> {
  const m = await measure(process.execPath, [STB, ...args, '--json']);
  if (m.code !== 0) throw new Error(`stb ${args[0]} failed: ${m.stderr.slice(0, 400)} ${m.stdout.slice(0, 400)}`);
  return { seconds: m.seconds, peakMB: m.peakMB, json: JSON.parse(m.stdout) as Record<string, unknown> };
}

async function main(): Promise<void> {
  requireBuiltCli();
  if (!have('pgbench')) throw new Error('pgbench is needed (apt-get install postgresql-client)');
  const init = await measure('pgbench', ['-i', '-s', '1', '-q', ...pgArgs, database]);
  if (init.code !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);

  // 1. Closed loop, select-only, 8 connections.
  const trace = join(out, 'select-only.jsonl');
  writeSelectOnlyTrace(trace);
  const pgbenchTps: number[] = [],
    stbTps: number[] = [],
    stbPeak: number[] = [],
    stbOneThread: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const p = await measure('pgbench', ['-S', '-c', '8', '-j', '2', '-T', String(SECONDS), '-n', ...pgArgs, database]);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(p.stdout);
    if (!tps) throw new Error(`pgbench printed no tps: ${p.stdout.slice(-400)} ${p.stderr.slice(-400)}`);
    pgbenchTps.push(Number(tps[1]));
    const s = await stbJson(['bench', trace, '--driver', 'postgres', '--url', URL_, '--mode', 'closed', '-c', '8', '-j', '2', '--duration', `${SECONDS}s`]);
    stbTps.push(s.json.goodput as number);
    stbPeak.push(s.peakMB);
    const one = await stbJson(['bench', trace, '--driver', 'postgres', '--url', URL_, '--mode', 'closed', '-c', '8', '-j', '1', '--duration', `${SECONDS}s`]);
    stbOneThread.push(one.json.goodput as number);
    process.stderr.write(
      `  closed run ${r + 1}/${RUNS}: pgbench ${tps[1]} tps, stb -j 2 ${(s.json.goodput as number).toFixed(0)} ops/s, stb -j 1 ${(one.json.goodput as number).toFixed(0)} ops/s\n`,
    );
  }

  // 2. Replay a select-only log as fast as possible: captured from pgbench when the server's log can be read.
  let log = join(out, 'select-only-captured.log');
  let pgreplayLog = join(out, 'select-only-captured.pgreplay.log');
  const captured = await captureSelectLog(log, pgreplayLog);
  if (!captured) {
    process.stderr.write(`  the server's log cannot be read (set STB_PG_LOG): replaying a log written in pgbench's shape instead\n`);
    log = pgreplayLog = join(out, 'select-only.log');
    writeSelectLog(log);
  }
  const logStatements = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => / statement: /.test(l)).length;
  const replayTrace = join(out, 'select-only-log.jsonl');
  await stbJson(['parse', log, '-o', replayTrace]);
  const stbReplay: number[] = [],
    stbReplayThreads: number[] = [],
    stbPipelined: number[] = [],
    pgreplayRate: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = await stbJson(['bench', replayTrace, '--driver', 'postgres', '--url', URL_, '--speed', 'max']);
    stbReplay.push((s.json.operations as number) / s.seconds);
    const threaded = await stbJson(['bench', replayTrace, '--driver', 'postgres', '--url', URL_, '--speed', 'max', '-j', '2']);
    stbReplayThreads.push((threaded.json.operations as number) / threaded.seconds);
    const pipelined = await stbJson(['bench', replayTrace, '--driver', 'postgres', '--url', URL_, '--speed', 'max', '--pipeline', String(PIPELINE)]);
    stbPipelined.push((pipelined.json.operations as number) / pipelined.seconds);
    if (have('pgreplay')) {
      // pgreplay parses the log into a replay file (-f), then replays it (-r), as its documentation runs it.
      const replayFile = join(out, 'select-only.replay');
      if (r === 0) await measure('pgreplay', ['-f', '-o', replayFile, pgreplayLog]);
      const p = await measure('pgreplay', ['-r', '-s', '100', '-h', u.hostname, '-p', u.port || '5432', replayFile]);
      if (p.code === 0) pgreplayRate.push(logStatements / p.seconds);
      else process.stderr.write(`pgreplay failed: ${p.stderr.slice(0, 300)}\n`);
    }
    process.stderr.write(
      `  replay run ${r + 1}/${RUNS}: stb ${stbReplay[r]!.toFixed(0)} st/s, stb -j 2 ${stbReplayThreads[r]!.toFixed(0)} st/s, stb --pipeline ${PIPELINE} ${stbPipelined[r]!.toFixed(0)} st/s${pgreplayRate[r] ? `, pgreplay ${pgreplayRate[r]!.toFixed(0)} st/s` : ''}\n`,
    );
  }

  // 3. The runner's ceiling.
  const ceiling: { throughput: number; peakMB: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const m = await measure(process.execPath, ['--import', 'tsx', join(here, 'runner-ceiling.ts'), '5'], { cwd: join(here, '..') });
    if (m.code !== 0) throw new Error(`runner ceiling failed: ${m.stderr.slice(0, 400)}`);
    ceiling.push(JSON.parse(m.stdout) as { throughput: number; peakMB: number });
  }

  // 4. Session churn: many short sessions against the same statements in a few long ones.
  const churnTrace = join(out, 'churn-200k-sessions.jsonl'),
    steadyTrace = join(out, 'churn-8-sessions.jsonl');
  writeChurnTraces(churnTrace, steadyTrace);
  const churn: { seconds: number; peakMB: number; peakConnections: number }[] = [],
    steady: typeof churn = [];
  for (let r = 0; r < RUNS; r++) {
    for (const [trace, into] of [
      [churnTrace, churn],
      [steadyTrace, steady],
    ] as const) {
      const m = await stbJson(['bench', trace, '--speed', 'max']);
      if (m.json.operations !== CHURN_SESSIONS * 3) throw new Error(`${trace}: ${String(m.json.operations)} operations, expected ${CHURN_SESSIONS * 3}`);
      into.push({ seconds: m.seconds, peakMB: m.peakMB, peakConnections: (m.json.connections as { peak: number }).peak });
    }
  }

  // Each run measures pgbench and stb back to back: the median of those ratios is steadier on a
  // shared machine whose speed drifts between runs than a ratio of medians.
  const closedRatio = median(stbTps.map((t, i) => t / pgbenchTps[i]!));
  console.log(`\nbench:replay — PostgreSQL at ${u.hostname}:${u.port || 5432}, medians of ${RUNS} runs\n`);
  console.log(`select-only, closed loop, 8 connections, ${SECONDS} s:`);
  console.log(`  pgbench -S -c 8 -j 2        ${median(pgbenchTps).toFixed(0)} tps`);
  console.log(
    `  stb bench --mode closed -c 8 -j 2  ${median(stbTps).toFixed(0)} ops/s (peak ${Math.max(...stbPeak).toFixed(0)} MB)   ratio ${closedRatio.toFixed(2)} (median of per-run ratios; goal ≥ 0.8: ${closedRatio >= 0.8 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  stb bench --mode closed -c 8 -j 1  ${median(stbOneThread).toFixed(0)} ops/s   ratio ${median(stbOneThread.map((t, i) => t / pgbenchTps[i]!)).toFixed(2)} (one thread, for reference)`,
  );
  console.log(
    `\nselect-only log ${captured ? 'captured from pgbench -S -c 8 -j 2' : "written in pgbench's shape"} (${logStatements.toLocaleString('en')} statements) replayed as fast as possible (process start included):`,
  );
  console.log(
    `  stb bench --speed max              ${median(stbReplay).toFixed(0)} statements/s (each session waits for an answer before its next statement, as pgreplay does)`,
  );
  console.log(`  stb bench --speed max -j 2         ${median(stbReplayThreads).toFixed(0)} statements/s (the sessions on two threads)`);
  console.log(
    `  stb bench --speed max --pipeline ${PIPELINE} ${median(stbPipelined).toFixed(0)} statements/s (up to ${PIPELINE} statements in flight per session)`,
  );
  if (pgreplayRate.length > 0) {
    const ratioOf = (rates: number[]) =>
      pgreplayRate.length === rates.length ? median(rates.map((t, i) => t / pgreplayRate[i]!)) : median(rates) / median(pgreplayRate);
    const [one, threads, pipelined] = [ratioOf(stbReplay), ratioOf(stbReplayThreads), ratioOf(stbPipelined)];
    console.log(`  pgreplay -r -s 100                 ${median(pgreplayRate).toFixed(0)} statements/s`);
    console.log(
      `  ratio to pgreplay (median of per-run ratios): ${one.toFixed(2)}; -j 2: ${threads.toFixed(2)}; --pipeline ${PIPELINE}: ${pipelined.toFixed(2)}`,
    );
    console.log(
      `  goal ≥ 1.5: ${pipelined >= 1.5 ? 'met' : 'NOT met'} with --pipeline ${PIPELINE}; ${one >= 1.5 ? 'met' : 'NOT met'} waiting for each answer as pgreplay does`,
    );
  } else console.log('  pgreplay                           not installed (apt-get install pgreplay)');
  const ceil = median(ceiling.map((c) => c.throughput));
  console.log(
    `\nrunner ceiling (closed loop, 8 workers, driver that does nothing, one process): ${ceil.toFixed(0)} ops/s, peak ${Math.max(...ceiling.map((c) => c.peakMB)).toFixed(0)} MB (goal ≥ 50,000: ${ceil >= 50_000 ? 'met' : 'NOT met'})`,
  );
  const [c, st] = [median(churn.map((x) => x.seconds)), median(steady.map((x) => x.seconds))];
  console.log(`\nsession churn, embedded SQLite, --speed max (process start included), ${(CHURN_SESSIONS * 3).toLocaleString('en')} statements:`);
  console.log(
    `  in 8 sessions                 ${st.toFixed(2)} s, peak ${Math.max(...steady.map((x) => x.peakMB)).toFixed(0)} MB, ${Math.max(...steady.map((x) => x.peakConnections))} connections at once`,
  );
  console.log(
    `  in ${CHURN_SESSIONS.toLocaleString('en')} sessions (3 each)   ${c.toFixed(2)} s, peak ${Math.max(...churn.map((x) => x.peakMB)).toFixed(0)} MB, ${Math.max(...churn.map((x) => x.peakConnections)).toLocaleString('en')} connections at once   ratio ${(c / st).toFixed(2)} (time; median of ${RUNS})`,
  );
  writeFileSync(
    join(out, 'bench-replay.json'),
    JSON.stringify(
      {
        runs: RUNS,
        capturedLog: captured,
        logStatements,
        pgbenchTps,
        stbTps,
        stbOneThread,
        stbReplay,
        stbReplayThreads,
        pipeline: PIPELINE,
        stbPipelined,
        pgreplayRate,
        ceiling,
        churn,
        steady,
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
