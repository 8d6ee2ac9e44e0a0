import { spawnSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import type { TraceEvent, TraceSource } from '@sqltrace/core';
import { BenchmarkRunner } from '@sqltrace/bench';
import { MysqlDriver } from '@sqltrace/driver-mysql';
import { deadlockTrace } from './deadlock-trace';

/** MariaDB beside PostgreSQL's tests: a user's connection limit, and a connection killed mid-run. */
const URL = process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

const up = (() => {
  const u = new globalThis.URL(URL);
  const probe = `require('net').connect(${Number(u.port || 3306)}, ${JSON.stringify(u.hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5_000 }).status === 0;
})();
if (!up) {
  const message = `\n!!! MySQL/MariaDB at ${URL} is not answering: the MySQL benchmark tests are SKIPPED !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
  console.warn(message);
}
const myIt = up ? it : it.skip;

async function admin<T>(run: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ uri: URL });
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/** Forty sessions of three statements, 10 ms apart: at --speed max, all forty want to be open at once. */
const trace: TraceSource = {
  name: 'forty sessions',
  events: async function* () {
    for (let i = 0; i < 40; i++)
      for (let k = 0; k < 3; k++) yield { ts: i * 10_000 + k * 1_000, session: `c${i}`, sql: 'SELECT ? AS k', params: [k], templateId: 'k' };
  },
};

/** A user (dropped first if left over) allowed to SELECT, with `limits` (e.g. `WITH MAX_USER_CONNECTIONS 4`). */
async function selectUser(name: string, limits = ''): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP USER IF EXISTS '${name}'@'%'`);
    await c.query(`CREATE USER '${name}'@'%' ${limits}`);
    await c.query(`GRANT SELECT ON *.* TO '${name}'@'%'`);
  });
}

describe('BenchmarkRunner on MariaDB', () => {
  myIt('a transaction the server rolls back (deadlock) is not replayed on: the rest runs in no transaction, so it is skipped and counted', async () => {
    await admin(async (c) => {
      await c.query('DROP TABLE IF EXISTS stb_dl_rows, stb_dl_log');
      await c.query('CREATE TABLE stb_dl_rows (id int PRIMARY KEY, v int) ENGINE=InnoDB');
      await c.query('INSERT INTO stb_dl_rows VALUES (1, 0), (2, 0)');
      await c.query('CREATE TABLE stb_dl_log (who varchar(10)) ENGINE=InnoDB');
    });
    const driver = new MysqlDriver({ url: URL });
    try {
      const results = await new BenchmarkRunner({ driver, target: 'mariadb', mode: 'replay', speed: 1 }).run(deadlockTrace('stb_dl_rows', 'stb_dl_log'));
      // One deadlock (1213, 40001); before, the victim's INSERT ran on its own, outside any transaction, and was committed.
      expect(results.errorsByClass.map((e) => [e.errorClass, e.codes])).toEqual([['40', { '40001': 1 }]]);
      expect(results.rolledBack).toEqual({ transactions: 1, statementsSkipped: 1 });
      const [logged] = await admin((c) => c.query('SELECT who FROM stb_dl_log'));
      expect(logged).toHaveLength(1);
      const [rows] = await admin((c) => c.query('SELECT v FROM stb_dl_rows ORDER BY id'));
      expect((rows as { v: number }[]).map((r) => r.v)).toEqual([1, 1]);
    } finally {
      await driver.destroy();
      await admin((c) => c.query('DROP TABLE IF EXISTS stb_dl_rows, stb_dl_log'));
    }
  });

  myIt(
    'a log with more sessions at once than a user may open goes on: at MAX_USER_CONNECTIONS (error 1203) sessions wait their turn',
    async () => {
      await selectUser('stb_four', 'WITH MAX_USER_CONNECTIONS 4');
      const url = new globalThis.URL(URL);
      url.username = 'stb_four';
      url.password = '';
      const driver = new MysqlDriver({ url: url.toString() });
      const results = await new BenchmarkRunner({ driver, target: 'mariadb', mode: 'replay', speed: Infinity }).run(trace);
      await driver.destroy();
      await admin((c) => c.query("DROP USER IF EXISTS 'stb_four'@'%'"));
      expect(results.endedEarly).toBeUndefined();
      expect(results).toMatchObject({ operations: 120, errors: 0, dropped: 0, connections: { opened: 40 } });
      expect(results.connections.peak).toBeLessThanOrEqual(4);
    },
    30_000,
  );

  myIt(
    'a log with more sessions at once than the server allows goes on: at max_connections (error 1040) sessions wait their turn',
    async () => {
      // A user without SUPER (root may always open one connection beyond the limit).
      await selectUser('stb_plain');
      const url = new globalThis.URL(URL);
      url.username = 'stb_plain';
      url.password = '';
      const driver = new MysqlDriver({ url: url.toString() });
      let results;
      // The limit is the server's, for everyone: set it just above the connections open now, and
      // put it back whatever happens.
      const held = await mysql.createConnection({ uri: URL });
      const [[saved]] = (await held.query('SELECT @@GLOBAL.max_connections AS n')) as unknown as [[{ n: number }]];
      let room = 0;
      try {
        // (MariaDB's least max_connections is 10.)
        const [[open]] = (await held.query("SHOW GLOBAL STATUS LIKE 'Threads_connected'")) as unknown as [[{ Value: string }]];
        const limit = Math.max(10, Number(open.Value) + 3);
        room = limit - Number(open.Value);
        await held.query('SET GLOBAL max_connections = ?', [limit]);
        results = await new BenchmarkRunner({ driver, target: 'mariadb', mode: 'replay', speed: Infinity }).run(trace);
      } finally {
        await held.query('SET GLOBAL max_connections = ?', [saved.n]);
        await held.end();
        await driver.destroy();
        await admin((c) => c.query("DROP USER IF EXISTS 'stb_plain'@'%'"));
      }
      expect(results.endedEarly).toBeUndefined();
      expect(results).toMatchObject({ operations: 120, errors: 0, dropped: 0, connections: { opened: 40 } });
      expect(results.connections.peak).toBeLessThanOrEqual(room); // the forty sessions would all be open at once without the limit
      expect(room).toBeLessThan(40);
    },
    60_000,
  );

  myIt(
    'a connection killed mid-run (KILL from another session) is counted, reopened, and the run goes on',
    async () => {
      const t0 = 1_700_000_000_000_000;
      const events: TraceEvent[] = [];
      for (let i = 0; i < 100; i++)
        for (const s of ['a', 'b']) events.push({ ts: t0 + i * 20_000, session: s, sql: 'SELECT ? AS i', params: [i], templateId: 'tick' });
      // The run's connections are told apart by a database of their own (other suites use `test`).
      await admin((c) => c.query('CREATE DATABASE IF NOT EXISTS stb_bench_kill'));
      const url = new globalThis.URL(URL);
      url.pathname = '/stb_bench_kill';
      const driver = new MysqlDriver({ url: url.toString() });
      const run = new BenchmarkRunner({ driver, target: 'mariadb', mode: 'replay' }).run({
        name: 'ticks',
        events: async function* () {
          yield* events;
        },
      });
      await new Promise((r) => setTimeout(r, 1_000));
      const killed = await admin(async (c) => {
        const [rows] = await c.query("SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND db = 'stb_bench_kill'");
        for (const row of rows as { id: number }[]) await c.query(`KILL ${row.id}`);
        return (rows as unknown[]).length;
      });
      const results = await run;
      await driver.destroy();
      expect(killed).toBe(2);
      expect(results.endedEarly).toBeUndefined();
      expect(results.connections).toMatchObject({ lost: 2, reopened: 2 });
      expect(results.operations).toBe(200);
    },
    30_000,
  );
});
