import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeLog } from '@sqltrace/fixtures/src/make-log';
import { type Measurement, median } from './measure';

/** This folder (tools/bench/src), the repository root, the built `stb`, and where inputs and outputs are cached (gitignored). */
export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../../..');
export const STB = join(root, 'packages/cli/bin/run.js');
export const out = join(here, '..', 'out');

/** Stops with a clear message when the CLI has not been built (the npm scripts build it first); makes the output folder. */
export function requireBuiltCli(): void {
  if (!existsSync(join(root, 'packages/cli/dist/index.js'))) throw new Error('build first: npx nx run @sqltrace/cli:build');
  mkdirSync(out, { recursive: true });
}

export function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

export async function ensureLog(format: string, seed: string, MB: number): Promise<{ path: string; bytes: number; statements: number }> {
  mkdirSync(out, { recursive: true });
  const path = join(out, `${format}-${MB}MB.log`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { bytes: number; statements: number };
    if (statSync(path).size === m.bytes) return { path, ...m };
  }
  process.stderr.write(`generating ${path} …\n`);
  const made = await makeLog({ format, output: path, bytes: MB * 1024 * 1024, seed, concurrency: 200 });
  writeFileSync(meta, JSON.stringify(made));
  return { path, ...made };
}

export async function repeat(runs: number, run: () => Promise<Measurement>, label: string): Promise<{ seconds: number; peakMB: number; last: Measurement }> {
  const times: number[] = [];
  const peaks: number[] = [];
  let last: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    last = await run();
    if (last.code !== 0) throw new Error(`${label} failed (exit ${last.code}): ${last.stderr.slice(0, 500)}`);
    times.push(last.seconds);
    peaks.push(last.peakMB);
    process.stderr.write(`  ${label}: run ${i + 1}/${runs} ${last.seconds.toFixed(2)} s, ${last.peakMB.toFixed(0)} MB\n`);
  }
  return { seconds: median(times), peakMB: Math.max(...peaks), last: last! };
}

/** A seeded linear congruential generator (the select-only traces' account ids). */
export function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (48271 * x) % 2147483647) / 2147483647;
}

/** pgbench's select-only statement, 100,000 times over 8 sessions, with seeded account ids (scale 1): the closed loops' trace. */
export function writeSelectOnlyTrace(path: string): void {
  const next = lcg(3);
  writeFileSync(
    path,
    '{"$trace":{"version":1,"dialect":"postgres"}}\n' +
      Array.from({ length: 100_000 }, (_, i) =>
        JSON.stringify({
          ts: i,
          session: `s${i % 8}`,
          sql: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1',
          params: [1 + Math.floor(next() * 100_000)],
          templateId: 'select-only',
        }),
      ).join('\n') +
      '\n',
  );
}
