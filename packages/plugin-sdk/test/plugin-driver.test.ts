import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDriverContract } from '@sqltrace/driver-contract';
import { isDriverError, type DriverError } from '@sqltrace/core';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PluginDriver } from '@sqltrace/plugin-sdk';

// The SQLite driver served out of process through the SDK: bin/driver-plugin.js (the built
// program; this package's test target builds it first) with @sqltrace/driver-sqlite.
const PLUGIN = join(__dirname, '..', 'bin', 'driver-plugin.js');
const SQLITE = ['@sqltrace/driver-sqlite'];
const dir = mkdtempSync(join(tmpdir(), 'stb-plugin-test-'));
const quiet = () => undefined;

function script(name: string, body: string, mode = 0o755): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the SQLite driver as a go-plugin gRPC plugin', () => {
  describeDriverContract({
    name: 'sqlite-plugin',
    create: () => new PluginDriver({ path: PLUGIN, args: SQLITE, url: `sqlite:${join(dir, 'contract.db')}`, log: quiet }),
    placeholder: (n) => `$${n}`,
    uniqueViolation: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    syntaxError: 'SQLITE_ERROR',
    begin: 'BEGIN',
  });

  it('takes the name and dialect of the driver it serves, and runs setup SQL', async () => {
    const driver = await PluginDriver.start({ path: PLUGIN, args: SQLITE, url: `sqlite:${join(dir, 'setup.db')}`, log: quiet });
    expect([driver.name, driver.dialect]).toEqual(['sqlite', 'sqlite']);
    await driver.prepare!(['CREATE TABLE s (x INTEGER)', 'INSERT INTO s VALUES (41), (1)']);
    const session = await driver.open();
    expect((await session.execute('SELECT sum(x) AS n FROM s')).rows).toEqual([{ n: 42 }]);
    // Statements sent before the answers come back run in order and are answered each by its own.
    const answers = await Promise.all([1, 2, 3].map((k) => session.execute('SELECT ? AS k', [k])));
    expect(answers.map((a) => a.rows)).toEqual([[{ k: 1 }], [{ k: 2 }], [{ k: 3 }]]);
    await session.close();
    const pid = driver.pid;
    await driver.destroy();
    expect(alive(pid)).toBe(false);
  });

  it('reports a plugin that dies as lost connections, restarts it once, then fails as an unreachable server', async () => {
    const driver = new PluginDriver({ path: PLUGIN, args: SQLITE, url: 'sqlite::memory:', log: quiet });
    const session = await driver.open();
    const first = driver.pid;
    process.kill(first!, 'SIGKILL');
    const error = await session.execute('SELECT 1').catch((e: unknown) => e);
    expect(isDriverError(error) && (error as DriverError).connectionLost).toBe(true);
    const again = await driver.open();
    expect(driver.pid).not.toBe(first);
    expect((await again.execute('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    process.kill(driver.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const gone = await driver.open().catch((e: unknown) => e);
    expect(isDriverError(gone) && (gone as DriverError).connectionLost).toBe(true);
    expect((gone as Error).message).toMatch(/exited again after its restart/);
    await driver.destroy();
  });
});

describe('a plugin that hangs, or quotes its URL', () => {
  it('fails the statement after the statement timeout, as a lost connection, and a new session works', async () => {
    const driver = new PluginDriver({ path: join(__dirname, 'fixtures', 'hanging-plugin.mjs'), url: 'x', log: quiet, statementTimeoutMs: 300 });
    const session = await driver.open();
    expect((await session.execute('SELECT 1')).rows).toEqual([{ ok: 1 }]);
    const t0 = Date.now();
    const error = await session.execute('SELECT hang').catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(isDriverError(error) && (error as DriverError).connectionLost).toBe(true);
    expect((error as Error).message).toBe('driver plugin hanging: connection lost (no answer in 0.3 s)');
    await expect(session.execute('SELECT 1')).rejects.toThrow(/no answer in 0.3 s/);
    const fresh = await driver.open();
    expect((await fresh.execute('SELECT 2')).rows).toEqual([{ ok: 1 }]);
    await driver.destroy();
  });

  it("never lets the URL's password through: not in its log lines, not in its errors", async () => {
    const lines: string[] = [];
    const url = 'postgres://app:s3cret-pw@db.example/shop';
    const driver = new PluginDriver({ path: join(__dirname, 'fixtures', 'hanging-plugin.mjs'), url, log: (line) => lines.push(line) });
    const session = await driver.open();
    const error = (await session.execute('SELECT leak').catch((e: unknown) => e)) as Error;
    await driver.destroy();
    expect(lines.join('\n')).toMatch(/opening a session on postgres:\/\/app:\S*@db\.example\/shop/);
    expect(error.message).toMatch(/^cannot run it on postgres:\/\/app:\S*@db\.example\/shop$/);
    expect([...lines, error.message].join('\n')).not.toContain('s3cret-pw');
  });
});

describe('handshake faults, each with a clear message', () => {
  const start = (path: string, startTimeoutMs = 5_000) =>
    PluginDriver.start({ path, url: 'x', log: quiet, startTimeoutMs }).then(
      () => new Error('started'),
      (e: unknown) => e as Error,
    );

  it('a program that is not there, or not executable', async () => {
    expect((await start(join(dir, 'nope'))).message).toBe(`driver plugin ${join(dir, 'nope')}: no such file`);
    const plain = script('plain', 'exit 0', 0o644);
    expect((await start(plain)).message).toBe(`driver plugin ${plain}: it is not executable`);
  });

  it('a program that exits first, says nothing, or says something else', async () => {
    const exits = script('exits', 'echo "cannot open the socket" >&2; exit 3');
    expect((await start(exits)).message).toBe(`driver plugin ${exits} exited (code 3) before its handshake: cannot open the socket`);
    const silent = script('silent', 'exec sleep 30');
    const t0 = Date.now();
    expect((await start(silent, 300)).message).toBe(`driver plugin ${silent} printed no handshake in 0.3 s`);
    expect(Date.now() - t0).toBeLessThan(3_000);
    const chatty = script('chatty', 'echo "hello"; exec sleep 5');
    expect((await start(chatty)).message).toMatch(/its first line on stdout is not a go-plugin handshake: "hello"/);
  });

  it('a net/rpc plugin, another core or driver protocol version', async () => {
    const netrpc = script('netrpc', 'echo "1|1|tcp|127.0.0.1:1234|netrpc"; exec sleep 5');
    expect((await start(netrpc)).message).toMatch(/speaks go-plugin's netrpc protocol; SQL Trace Bench speaks gRPC only/);
    const old = script('old', 'echo "1|1|tcp|127.0.0.1:1234"; exec sleep 5');
    expect((await start(old)).message).toMatch(/netrpc protocol/);
    const v2 = script('v2', 'echo "1|2|unix|/tmp/x|grpc|"; exec sleep 5');
    expect((await start(v2)).message).toMatch(/speaks driver protocol version 2; this host speaks 1/);
    const core2 = script('core2', 'echo "2|1|unix|/tmp/x|grpc|"; exec sleep 5');
    expect((await start(core2)).message).toMatch(/speaks go-plugin core protocol 2/);
  });

  it('a plugin run by hand, without the magic cookie, says what it is and exits 1', () => {
    const env = { ...process.env };
    delete env[MAGIC_COOKIE_KEY];
    const r = spawnSync(process.execPath, [PLUGIN, ...SQLITE], { encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is a SQL Trace Bench driver plugin/);
    const wrongVersion = spawnSync(process.execPath, [PLUGIN, ...SQLITE], {
      encoding: 'utf8',
      env: { ...env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '7' },
    });
    expect(wrongVersion.status).toBe(1);
    expect(wrongVersion.stderr).toMatch(/the host speaks driver protocol 7; this plugin speaks 1/);
  });
});
