import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDriverContract, portOpen, POSTGRES_SPELLING } from '@sqltrace/driver-contract';
import { PluginDriver } from '@sqltrace/plugin-sdk';

// The Go example plugin (examples/go-postgres): the real github.com/hashicorp/go-plugin with
// database/sql + lib/pq, built here offline from Debian's Go packages, against this machine's PostgreSQL.
const URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = join(mkdtempSync(join(tmpdir(), 'stb-go-plugin-')), 'stb-go-postgres-plugin');
const quiet = () => undefined;

function fail(what: string): void {
  const message = `\n!!! ${what}: the Go plugin tests cannot run !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
  console.warn(message);
}

describe('the Go PostgreSQL plugin (hashicorp/go-plugin, lib/pq)', () => {
  beforeAll(async () => {
    if (spawnSync('go', ['version']).status !== 0)
      return fail('Go is not installed (apt-get install golang-go and the -dev packages in examples/go-postgres/build.sh)');
    execFileSync(join(__dirname, '..', 'examples', 'go-postgres', 'build.sh'), [BIN], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!(await portOpen(Number(new globalThis.URL(URL).port || 5432), new globalThis.URL(URL).hostname))) fail(`PostgreSQL at ${URL} is not answering`);
  }, 120_000);

  describeDriverContract({
    name: 'go-postgres-plugin',
    create: () => new PluginDriver({ path: BIN, url: URL, log: quiet }),
    unreachable: () => new PluginDriver({ path: BIN, url: 'postgres://stb:s3cret-pw@127.0.0.1:1/test?connect_timeout=2', log: quiet }),
    secretInUrl: 's3cret-pw',
    ...POSTGRES_SPELLING,
  });

  it('answers the handshake as go-plugin does, with its name and dialect, and runs setup SQL', async () => {
    const driver = await PluginDriver.start({ path: BIN, url: URL, log: quiet });
    expect([driver.name, driver.dialect]).toEqual(['postgres-go', 'postgres']);
    await driver.prepare!([
      'DROP TABLE IF EXISTS stb_go_plugin_setup',
      'CREATE TABLE stb_go_plugin_setup (x int)',
      'INSERT INTO stb_go_plugin_setup VALUES (40), (2)',
    ]);
    const session = await driver.open();
    expect((await session.execute('SELECT sum(x)::int AS n FROM stb_go_plugin_setup')).rows).toEqual([{ n: 42 }]);
    expect((await session.execute('SELECT $1::text AS a, $2::int AS b, $3::boolean AS c, $4::text AS d', ["O'Brien", 7, true, null])).rows).toEqual([
      { a: "O'Brien", b: 7, c: true, d: null },
    ]);
    await session.execute('DROP TABLE stb_go_plugin_setup');
    await session.close();
    const pid = driver.pid!;
    await driver.destroy();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('run by hand, it says it is a plugin and exits 1 (go-plugin without the magic cookie)', () => {
    const r = spawnSync(BIN, [], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/This binary is a plugin/);
  });
});
