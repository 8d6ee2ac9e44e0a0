import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built packages as a user's project loads them — `require` from CommonJS (a Jest suite, say) and
// `import` from ESM — rather than the sources the other suites map to. (This package's test target
// depends on the build of every package it uses: all of them.)
const ROOT = join(__dirname, '..', '..', '..');
const PACKAGES = ['core', 'parser', 'generators', 'validator', 'bench', 'app', 'driver-sqlite', 'driver-postgres', 'driver-mysql'];

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the published packages', () => {
  it('export the same names to require() and to import', () => {
    const names = (loader: string) => {
      const r = node([
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); const out = {}; for (const p of ${JSON.stringify(PACKAGES)}) out[p] = Object.keys(${loader}).sort(); console.log(JSON.stringify(out));`,
      ]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as Record<string, string[]>;
    };
    const cjs = names("require('@sqltrace/' + p)");
    const esm = names("await import('@sqltrace/' + p)");
    for (const p of PACKAGES)
      expect({ [p]: cjs[p]!.filter((n) => n !== '__esModule' && n !== 'default') }).toEqual({ [p]: esm[p]!.filter((n) => n !== 'default') });
    expect(cjs.bench).toEqual(expect.arrayContaining(['BenchmarkRunner', 'ThreadedBenchmarkRunner', 'mergeResults']));
  });

  it('run a replay, an open loop, a threaded closed loop and a threaded replay from CommonJS (p-limit, which ships ESM only, is in the bundle)', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'stb-cjs-')), 'cjs.db');
    const script = `
      const { BenchmarkRunner, ThreadedBenchmarkRunner } = require('@sqltrace/bench');
      const { SqliteDriver } = require('@sqltrace/driver-sqlite');
      const trace = { name: 'cjs', events: async function* () { for (let i = 0; i < 40; i++) yield { ts: i * 1000, session: 's' + (i % 4), sql: 'SELECT ? AS v', params: [i], templateId: 'v' }; } };
      (async () => {
        const out = {};
        for (const [mode, extra] of [['replay', { speed: Infinity }], ['open', { rate: 200, durationSeconds: 0.2 }]]) {
          const driver = new SqliteDriver({ url: 'sqlite::memory:' });
          const r = await new BenchmarkRunner({ driver, target: 'memory', mode, ...extra }).run(trace);
          await driver.destroy();
          out[mode] = { operations: r.operations, errors: r.errors };
        }
        const t = await new ThreadedBenchmarkRunner({ driver: { name: 'sqlite', config: { url: 'sqlite:${db}' } }, target: 'file', mode: 'closed', threads: 2, concurrency: 2, durationSeconds: 0.3 }).run(trace);
        out.threaded = { threads: t.settings.threads, errors: t.errors, ran: t.operations > 0 };
        const tr = await new ThreadedBenchmarkRunner({ driver: { name: 'sqlite', config: { url: 'sqlite:${db}' } }, target: 'file', mode: 'replay', speed: Infinity, threads: 2 }).run(trace);
        out.threadedReplay = { threads: tr.settings.threads, operations: tr.operations, errors: tr.errors, connections: tr.connections.opened };
        console.log(JSON.stringify(out));
      })().catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;
    const r = node(['-e', script]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.replay).toEqual({ operations: 40, errors: 0 });
    expect(out.open.errors).toBe(0);
    expect(out.open.operations).toBeGreaterThanOrEqual(30);
    expect(out.threaded).toEqual({ threads: 2, errors: 0, ran: true });
    expect(out.threadedReplay).toEqual({ threads: 2, operations: 40, errors: 0, connections: 4 });
  });

  it('parse a log on worker threads from CommonJS and from ESM into the same trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stb-parse-'));
    const log = join(__dirname, '..', 'assets', 'demo', 'shop-postgres.log');
    const call = (output: string) =>
      `parseLogsToTrace([${JSON.stringify(log)}], { output: ${JSON.stringify(output)}, threads: 2 }).then((r) => process.stdout.write(String(r.inputs[0].events)), (e) => { console.error(e); process.exit(1); })`;
    const cjs = node(['-e', `const { parseLogsToTrace } = require('@sqltrace/parser'); ${call(join(dir, 'cjs.jsonl'))}`]);
    const esm = node(['--input-type=module', '-e', `import { parseLogsToTrace } from '@sqltrace/parser'; ${call(join(dir, 'esm.jsonl'))}`]);
    expect({ code: cjs.code, stderr: cjs.stderr, events: cjs.stdout.trim() }).toEqual({ code: 0, stderr: '', events: '1500' });
    expect({ code: esm.code, stderr: esm.stderr, events: esm.stdout.trim() }).toEqual({ code: 0, stderr: '', events: '1500' });
    const events = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').slice(1); // (the header holds the time it was written)
    expect(events('cjs.jsonl')).toEqual(events('esm.jsonl'));
  });
});
