/**
 * `npm run bench:api`: `stb serve` (embedded SQLite store, files in a temporary directory) in its
 * own process, loaded by autocannon in a process of its own (so that the load generator does not share
 * its event loop and heap with this one, which generates and uploads the 200 MB log):
 *  1. `GET /healthz` — no token, one trivial query: the baseline, the server's floor in this run;
 *  2. `GET /v1/benchmarks/{id}` and `GET /v1/jobs/{id}` with a bearer token (a hash and a
 *     repository lookup per request, then the record): requests/s, p99, the server's peak RSS.
 *     Goal: ≥ 5,000 requests/s with p99 < 20 ms at 50 connections on this 2-core machine.
 *  3. First, on the server as it started: a log of STB_BENCH_UPLOAD_MB (default 200) uploaded
 *     and parsed as a job, each run beside `stb parse` of the same file: the server's RSS before
 *     and at its peak (goal < 300 MB: the upload streams) and the parse job's time against stb
 *     parse's (goal within 10%).
 * Medians of STB_BENCH_RUNS (default 3) runs of STB_BENCH_SECONDS (default 10) each; writes
 * out/bench-api.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type autocannon from 'autocannon';
import { ensureLog, out, requireBuiltCli, root, STB } from './bench-inputs';
import { measure, median } from './measure';

const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.STB_BENCH_SECONDS ?? 10);
const UPLOAD_MB = Number(process.env.STB_BENCH_UPLOAD_MB ?? 200);
const CONNECTIONS = 50;
const PORT = 18_000 + (process.pid % 1_000);
const TOKEN = `stb_bench_${'x'.repeat(24)}`;
const BASE = `http://127.0.0.1:${PORT}`;
const auth = { authorization: `Bearer ${TOKEN}` };

/** A process's resident memory now, bytes. */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Peak resident memory of a process, sampled every 100 ms while `work` runs. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, rssOf(pid));
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
    sample();
  }
}

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function finished(jobId: string): Promise<any> {
  for (;;) {
    const job = await call('GET', `/v1/jobs/${jobId}`);
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** autocannon's command line, its JSON result read from its stdout. */
async function load(path: string, headers: Record<string, string> = {}): Promise<autocannon.Result> {
  const args = [AUTOCANNON, '--json', '-c', String(CONNECTIONS), '-d', String(SECONDS)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const m = await measure(process.execPath, [...args, `${BASE}${path}`]);
  if (m.code !== 0) throw new Error(`autocannon ${path} exited ${m.code}: ${m.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(m.stdout) as autocannon.Result;
}

async function main(): Promise<void> {
  requireBuiltCli();
  const data = mkdtempSync(join(tmpdir(), 'stb-bench-api-'));
  const server: ChildProcess = spawn(process.execPath, [STB, 'serve', '--port', String(PORT), '--max-upload', String(UPLOAD_MB * 2)], {
    env: { ...process.env, STB_DATA_DIR: data, STB_API_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => (chunk.toString().includes('listening') ? resolve() : undefined));
      server.once('exit', (code) => reject(new Error(`stb serve exited (${code})`)));
    });
    const pid = server.pid!;
    // The upload first, on the server as it started: a big log streamed in, parsed as a job, beside
    // stb parse of the same file. (After the benchmark job below — 184 sessions at once, so 184
    // SQLite connections, each with its page cache — the process keeps ~90 MB more resident:
    // glibc does not hand freed memory back; that is the benchmark's, not the upload's.)
    const log = await ensureLog('pg-stderr', 'api', UPLOAD_MB);
    // Each run: stb parse of the file, then its upload (paired); the same server throughout.
    const uploads: {
      directSeconds: number;
      parseSeconds: number;
      jobSeconds: number;
      phases: { fetchSeconds: number; parseSeconds: number; storeAndCountSeconds: number };
      rssBefore: number;
      peakRss: number;
      state: string;
    }[] = [];
    for (let run = 0; run < RUNS; run++) {
      process.stderr.write(`  run ${run + 1}/${RUNS}: stb parse, then the upload of the same ${UPLOAD_MB} MB log …\n`);
      const direct = await measure(process.execPath, [STB, 'parse', log.path, '-o', join(data, 'direct.jsonl')]);
      if (direct.code !== 0) throw new Error(`stb parse failed: ${direct.stderr}`);
      const rssBefore = rssOf(pid);
      const { result: uploaded, peak } = await peakRss(pid, async () => {
        const response = await fetch(`${BASE}/v1/traces?name=big.log`, {
          method: 'POST',
          headers: { ...auth, 'content-length': String(log.bytes) },
          body: Readable.toWeb(createReadStream(log.path)) as ReadableStream,
          duplex: 'half',
        } as RequestInit);
        const accepted = (await response.json()) as { job: { id: string } };
        return finished(accepted.job.id);
      });
      const trace = await call('GET', `/v1/traces/${uploaded.result.traceId}`);
      const phases = trace.summary.phases as { fetchSeconds: number; parseSeconds: number; storeAndCountSeconds: number };
      uploads.push({
        directSeconds: direct.seconds,
        parseSeconds: phases.parseSeconds,
        jobSeconds: (Date.parse(uploaded.finishedAt) - Date.parse(uploaded.startedAt)) / 1000,
        phases,
        rssBefore,
        peakRss: peak,
        state: uploaded.state,
      });
    }

    // A trace, a finished benchmark of it and its job: the records the loaded routes read.
    const shop = join(root, 'packages/cli/assets/demo/shop-postgres.log');
    const upload = (await (await fetch(`${BASE}/v1/traces?name=shop.log`, { method: 'POST', headers: auth, body: readFileSync(shop) })).json()) as {
      trace: { id: string };
      job: { id: string };
    };
    await finished(upload.job.id);
    const schema = readFileSync(join(root, 'packages/cli/assets/demo/shop-schema.sqlite.sql'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('--'));
    const bench = await call('POST', '/v1/benchmarks', {
      traceId: upload.trace.id,
      driver: 'sqlite',
      url: `sqlite:${join(data, 'shop.db')}`,
      mode: 'replay',
      speed: 'max',
      setup: schema,
    });
    await finished(bench.job.id);

    const routes = [
      { name: 'GET /healthz (baseline: no token, one trivial query)', path: '/healthz', headers: {} },
      { name: 'GET /v1/benchmarks/{id}', path: `/v1/benchmarks/${bench.benchmark.id}`, headers: auth },
      { name: 'GET /v1/jobs/{id}', path: `/v1/jobs/${bench.job.id}`, headers: auth },
    ];
    const figures: Record<string, { rps: number[]; p99: number[]; rss: number[]; errors: number }> = {};
    for (let run = 0; run < RUNS; run++) {
      for (const route of routes) {
        process.stderr.write(`  run ${run + 1}/${RUNS}: ${route.name} …\n`);
        const { result, peak } = await peakRss(pid, () => load(route.path, route.headers));
        const f = (figures[route.name] ??= { rps: [], p99: [], rss: [], errors: 0 });
        f.rps.push(result.requests.average);
        f.p99.push(result.latency.p99);
        f.rss.push(peak);
        f.errors += result.errors + result.non2xx;
      }
    }

    const lines = [`\nbench:api — stb serve on embedded SQLite, ${CONNECTIONS} connections, ${SECONDS} s per route, medians of ${RUNS} runs\n`];
    const report: Record<string, unknown> = { runs: RUNS, seconds: SECONDS, connections: CONNECTIONS };
    const [baseline] = routes;
    for (const route of routes) {
      const f = figures[route.name]!;
      const rps = median(f.rps),
        p99 = median(f.p99);
      const ratio = route === baseline ? '' : `   ${(rps / median(figures[baseline!.name]!.rps)).toFixed(2)}× the baseline`;
      const goal = route === baseline ? '' : `   (goal ≥ 5,000 req/s, p99 < 20 ms: ${rps >= 5_000 && p99 < 20 ? 'met' : 'NOT met'})`;
      lines.push(
        `  ${route.name.padEnd(52)} ${rps.toFixed(0).padStart(6)} req/s   p99 ${p99.toFixed(1)} ms   RSS ≤ ${(Math.max(...f.rss) / 2 ** 20).toFixed(0)} MB   ${f.errors} errors${ratio}${goal}`,
      );
      report[route.path.replace(/\/[a-z]{2}_[0-9a-f]{20}/, '/{id}')] = { rps: f.rps, p99: f.p99, rss: f.rss, errors: f.errors };
    }
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    const ratios = uploads.map((u) => u.parseSeconds / u.directSeconds);
    const ratio = median(ratios);
    const peaks = uploads.map((u) => u.peakRss);
    const typical = uploads[Math.floor(uploads.length / 2)]!;
    lines.push(
      `  upload of a ${mb(log.bytes)} MB log, parsed as a job, ${uploads.length} runs (${uploads.map((u) => u.state).join(', ')}): the parse phase against stb parse of the file (process start included), median of paired ratios ${ratio.toFixed(2)}× [${ratios.map((r) => r.toFixed(2)).join(', ')}] (goal within 10%: ${ratio <= 1.1 ? 'met' : 'NOT met'});`,
    );
    lines.push(
      `    e.g. the whole job ${typical.jobSeconds.toFixed(1)} s: the upload copied in ${typical.phases.fetchSeconds.toFixed(1)} s, parsed in ${typical.phases.parseSeconds.toFixed(1)} s, stored and its templates counted in ${typical.phases.storeAndCountSeconds.toFixed(1)} s;`,
    );
    lines.push(
      `    server RSS at its peak ${peaks.map(mb).join(', ')} MB, from ${uploads.map((u) => mb(u.rssBefore)).join(', ')} MB before each (goal < 300 MB: ${peaks.every((p) => p < 300 * 2 ** 20) ? 'met in every run' : `NOT met in ${peaks.filter((p) => p >= 300 * 2 ** 20).length} of ${peaks.length}`})`,
    );
    report.upload = { bytes: log.bytes, runs: uploads };
    console.log(lines.join('\n'));
    writeFileSync(join(out, 'bench-api.json'), JSON.stringify(report, null, 2));
  } finally {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:api: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
