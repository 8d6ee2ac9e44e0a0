import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { BenchmarkRunner, type BenchResults } from '@sqltrace/bench';
import type { Driver, TraceEvent, TraceSource } from '@sqltrace/core';
import { MysqlDriver } from '@sqltrace/driver-mysql';
import { PostgresDriver } from '@sqltrace/driver-postgres';
import { answers, serversOrSkip } from './servers';

/**
 * A replay through a database server's restart (PostgreSQL) and crash (MariaDB killed with
 * SIGKILL): the run counts the connections it lost, reconnects when the server is back, and
 * finishes with results. The servers are the machine's own; each test brings its server back.
 */
const run = promisify(execFile);
const { describePg, describeMysql } = serversOrSkip();
const PG_URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const T0 = Date.UTC(2026, 11, 6) * 1000;

/** `sessions` sessions, each running `SELECT 1` every 20 ms for `seconds`. */
function steady(sessions: number, seconds: number): TraceSource {
  const events: TraceEvent[] = [];
  for (let s = 0; s < sessions; s++) {
    for (let t = s * 1_000; t < seconds * 1e6; t += 20_000) events.push({ ts: T0 + t, session: `s${s}`, sql: 'SELECT 1' });
  }
  events.sort((a, b) => a.ts - b.ts);
  return {
    name: 'steady',
    events: async function* () {
      yield* events;
    },
  };
}

async function waitFor(check: () => boolean, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

const pgUp = () => answers('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
const mysqlUp = () => answers('mariadb-admin', ['-h', '127.0.0.1', '-P', '3306', '-u', 'root', 'ping']);
const pgCluster = () => execFileSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).trim().split('\n')[0]!;

/** Replays 4 sessions for 12 s, doing `fault` 3 s into the run; the results and when the fault ended (s into the run). */
async function replayThrough(driver: Driver, fault: () => Promise<void>): Promise<{ results: BenchResults; faultEnded: number }> {
  const started = performance.now();
  const replay = new BenchmarkRunner({ driver, target: 'fault test', mode: 'replay' }).run(steady(4, 12));
  await new Promise((r) => setTimeout(r, 3_000));
  await fault();
  const faultEnded = (performance.now() - started) / 1000;
  const results = await replay;
  await driver.destroy();
  return { results, faultEnded };
}

function expectRecovered(results: BenchResults, faultEnded: number): void {
  expect(results.endedEarly).toBeUndefined();
  expect(results.connections.lost).toBeGreaterThanOrEqual(1);
  expect(results.connections.reopened).toBe(results.connections.lost);
  // Statements ran again after the server came back (the timeline counts operations per second).
  const after = results.timeline!.operations.slice(Math.ceil(faultEnded) + 1).reduce((a, b) => a + b, 0);
  expect(after).toBeGreaterThan(100);
  expect(results.operations - results.errors).toBeGreaterThan(1_000);
}

describePg('a replay while PostgreSQL restarts', () => {
  afterAll(async () => {
    if (!pgUp()) execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', pgCluster(), 'main', 'start']);
    await waitFor(pgUp, 30);
  }, 60_000);

  it('counts the lost connections, reconnects when the server is back, and finishes with results', async () => {
    const { results, faultEnded } = await replayThrough(new PostgresDriver({ url: PG_URL }), async () => {
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', pgCluster(), 'main', 'restart']);
      expect(await waitFor(pgUp, 30)).toBe(true);
    });
    expectRecovered(results, faultEnded);
  }, 90_000);
});

describeMysql('a replay while MariaDB is killed and started again', () => {
  afterAll(async () => {
    if (!mysqlUp()) execFileSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']);
    await waitFor(mysqlUp, 60);
  }, 90_000);

  it('counts the lost connections, reconnects when the server is back, and finishes with results', async () => {
    const { results, faultEnded } = await replayThrough(new MysqlDriver({ url: MYSQL_URL }), async () => {
      await run('pkill', ['-KILL', '-x', 'mariadbd']);
      await waitFor(() => !answers('pgrep', ['-x', 'mariadbd']), 10);
      await run('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']);
      expect(await waitFor(mysqlUp, 60)).toBe(true);
    });
    expectRecovered(results, faultEnded);
  }, 120_000);
});
