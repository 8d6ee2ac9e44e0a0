import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './prometheus-api';
import { PROMETHEUS_DIR } from './repo-paths';

/** Debian's binaries (apt-get install prometheus prometheus-pushgateway); `.ci/run` installs them. */
export const PROMETHEUS = process.env.STB_PROMETHEUS ?? '/usr/bin/prometheus';
export const PUSHGATEWAY = process.env.STB_PUSHGATEWAY ?? '/usr/bin/prometheus-pushgateway';
export const PROMTOOL = process.env.STB_PROMTOOL ?? '/usr/bin/promtool';

/**
 * Whether `binary` is here; when it is not, says so loudly — and under CI=true, where the checks
 * must run, throws.
 */
export function have(binary: string, what: string): boolean {
  if (existsSync(binary)) return true;
  const message = `\n!!! ${binary} is missing: ${what} is SKIPPED (apt-get install prometheus prometheus-pushgateway docker-compose) !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
  console.warn(message);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/**
 * A Prometheus server with the repository's configuration and rules (docker/prometheus, copied as
 * it is), its target files pointing at `targets` — the only part a deployment edits.
 */
export async function startPrometheus(targets: {
  readonly bench?: readonly string[];
  readonly serve?: readonly string[];
  readonly pushgateway?: readonly string[];
}): Promise<Running & { readonly dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'stb-prometheus-'));
  cpSync(PROMETHEUS_DIR, dir, { recursive: true });
  const file = (name: string, list: readonly string[] = []) =>
    writeFileSync(join(dir, 'targets', name), JSON.stringify(list.length > 0 ? [{ targets: list }] : []));
  file('stb-bench.json', targets.bench);
  file('stb-serve.json', targets.serve);
  file('pushgateway.json', targets.pushgateway);
  const port = await freePort();
  const child = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Prometheus to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`Prometheus exited (${child.exitCode}): ${log}`);
    return (await fetch(`${url}/-/ready`)).ok;
  });
  return { url, dir, stop: stopper(child) };
}

/** Debian's Pushgateway on a free port. */
export async function startPushgateway(): Promise<Running> {
  const port = await freePort();
  const child = spawn(PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the Pushgateway to be ready', async () => (await fetch(`${url}/-/ready`)).ok);
  return { url, stop: stopper(child) };
}
