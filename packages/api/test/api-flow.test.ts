import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import type { Repository } from '@sqltrace/core';
import { createApiServer, issueToken, type ApiServer } from '@sqltrace/api';
import { FsBlobStore, openRepository } from '@sqltrace/stores';

/**
 * The REST API over real HTTP (a listening server, fetch), on the embedded SQLite store: a real
 * PostgreSQL log uploaded, parsed, a model trained, a trace generated from it, validated (JSON and
 * HTML), benchmarked against SQLite and the machine's PostgreSQL, two runs compared — each by its
 * route, each long step a job followed to its end.
 */
const SHOP_LOG = resolve(__dirname, '../../cli/assets/demo/shop-postgres.log');
const SHOP_SCHEMA = readFileSync(resolve(__dirname, '../../cli/assets/demo/shop-schema.sqlite.sql'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('--'));
const PG_URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PG_DATABASE = `stb_api_test_${process.pid}`;

const PG_STORE_DATABASE = `stb_api_store_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'stb-api-'));
let server: ApiServer;
let repository: Repository;
let base = '';
let token = '';
let pgUp = false;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  try {
    for (const db of [`${PG_DATABASE}_sqlite`, `${PG_DATABASE}_postgres`, PG_STORE_DATABASE]) {
      await admin(`DROP DATABASE IF EXISTS ${db}`);
      await admin(`CREATE DATABASE ${db}`);
    }
    pgUp = true;
  } catch {
    const message = `\n!!! PostgreSQL at ${PG_URL} is not answering: the API's PostgreSQL store and benchmark tests cannot run !!!\n`;
    if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
    console.warn(message);
  }
}, 30_000);

afterAll(async () => {
  if (pgUp) for (const db of [`${PG_DATABASE}_sqlite`, `${PG_DATABASE}_postgres`, PG_STORE_DATABASE]) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

/** A server on a fresh store of the kind, with a token. */
async function startOn(store: 'sqlite' | 'postgres'): Promise<void> {
  const url = new URL(PG_URL);
  url.pathname = `/${PG_STORE_DATABASE}`;
  repository = (await openRepository(store === 'sqlite' ? `sqlite:${join(dir, 'stb.db')}` : url.toString())).repository;
  server = await createApiServer({ repository, blobs: new FsBlobStore(join(dir, `blobs-${store}`)), maxUploadBytes: 2 * 1024 * 1024 });
  await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  token = (await issueToken(repository, 'test')).token;
}

async function stop(): Promise<void> {
  await server?.close();
  await repository?.close();
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string; type: string }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, type: response.headers.get('content-type') ?? '' };
}

/** Follows a job's Server-Sent Events to its end; returns the progress events and the finished job. */
async function follow(jobId: string): Promise<{ progress: any[]; job: any }> {
  const response = await fetch(`${base}/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const text = await response.text();
  const events = text
    .trim()
    .split('\n\n')
    .map((block) => {
      const [event, data] = block.split('\n');
      return { type: event!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) };
    });
  const end = events.at(-1)!;
  expect(end.type).toBe('end');
  return { progress: events.filter((e) => e.type === 'progress').map((e) => e.data), job: end.data };
}

describe.each(['sqlite', 'postgres'] as const)('REST API over HTTP, %s store', (store) => {
  beforeAll(async () => {
    if (store === 'postgres' && !pgUp) return;
    await startOn(store);
  }, 30_000);
  afterAll(stop);
  // (Without PostgreSQL, locally, its store's half skips loudly above; under CI=true it cannot.)
  const it = (name: string, fn: () => Promise<void>, timeout?: number) =>
    globalThis.it(
      name,
      async () => {
        if (store === 'postgres' && !pgUp) return;
        await fn();
      },
      timeout,
    );
  let traceId = '';
  let modelId = '';
  let syntheticId = '';

  it('answers health and docs without a token, everything else only with one (401 in the JSON error shape)', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/docs/`)).status).toBe(200);
    const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/traces', '/v1/models/{id}/generate', '/v1/jobs/{id}/events', '/v1/benchmarks/compare']),
    );
    const denied = await call('GET', '/v1/traces', undefined, { authorization: 'Bearer not-a-token' });
    expect(denied.status).toBe(401);
    expect(denied.json).toEqual({ error: { code: 'E_AUTH', message: expect.any(String) } });
    expect((await fetch(`${base}/v1/traces`)).status).toBe(401);
  });

  it('uploads a real PostgreSQL log and parses it as a job: summary, templates and the trace file', async () => {
    // (As curl --data-binary sends it: text/plain, streamed all the same.)
    const upload = await call('POST', '/v1/traces?name=shop-postgres.log', new Uint8Array(readFileSync(SHOP_LOG)), { 'content-type': 'text/plain' });
    expect(upload.status).toBe(202);
    traceId = upload.json.trace.id;
    const { job, progress } = await follow(upload.json.job.id);
    expect(job).toMatchObject({ kind: 'parse', state: 'succeeded', result: { traceId } });
    expect(progress.length).toBeGreaterThan(0);
    const trace = (await call('GET', `/v1/traces/${traceId}`)).json;
    expect(trace).toMatchObject({ id: traceId, origin: 'uploaded', events: 1_500, sessions: 184, summary: { format: 'pg-stderr' } });
    const templates = (await call('GET', `/v1/traces/${traceId}/templates?limit=5`)).json.templates;
    expect(templates).toHaveLength(5);
    expect(templates[0].count).toBeGreaterThanOrEqual(templates[4].count);
    const download = await call('GET', `/v1/traces/${traceId}/download`);
    expect(download.type).toContain('application/x-ndjson');
    expect(download.text.trim().split('\n')).toHaveLength(1_501);
  });

  it('takes the log gzipped as well: the same trace', async () => {
    const upload = await call('POST', '/v1/traces?name=shop.log.gz', new Uint8Array(gzipSync(readFileSync(SHOP_LOG))), { 'content-type': 'application/gzip' });
    expect(upload.status).toBe(202);
    expect((await follow(upload.json.job.id)).job.state).toBe('succeeded');
    expect((await call('GET', `/v1/traces/${upload.json.trace.id}`)).json).toMatchObject({ events: 1_500, sessions: 184 });
  });

  it('trains a model and generates a trace from it, the lineage kept', async () => {
    const train = await call('POST', '/v1/models', { traceId, strategy: 'markov' });
    expect(train.status).toBe(202);
    const trained = (await follow(train.json.job.id)).job;
    expect(trained.state).toBe('succeeded');
    modelId = trained.result.modelId;
    expect((await call('GET', `/v1/models/${modelId}`)).json).toMatchObject({ traceId, strategy: 'markov', summary: { events: 1_500 } });
    const generate = await call('POST', `/v1/models/${modelId}/generate`, { events: 1_500, seed: '7' });
    const generated = (await follow(generate.json.job.id)).job;
    expect(generated.state).toBe('succeeded');
    syntheticId = generated.result.traceId;
    const synthetic = (await call('GET', `/v1/traces/${syntheticId}`)).json;
    expect(synthetic).toMatchObject({ origin: 'generated', lineage: { modelId, settings: { events: 1_500, seed: '7' } } });
    expect(Math.abs(synthetic.events - 1_500)).toBeLessThanOrEqual(15);
  });

  it('validates the synthetic trace: the report as JSON and as an HTML page', async () => {
    const started = await call('POST', '/v1/validations', { originalId: traceId, syntheticId });
    const done = (await follow(started.json.job.id)).job;
    expect(done.state).toBe('succeeded');
    const validation = (await call('GET', `/v1/validations/${done.result.validationId}`)).json;
    expect(validation).toMatchObject({ originalId: traceId, syntheticId, passed: true, report: { schema: 'sqltrace-fidelity-report' } });
    expect(validation.score).toBeGreaterThan(0.5);
    const html = await call('GET', `/v1/validations/${done.result.validationId}/report.html`);
    expect(html.type).toContain('text/html');
    expect(html.text).toMatch(/<html/i);
  });

  it('benchmarks the original trace against SQLite and PostgreSQL (schema set up first), then compares the runs', async () => {
    const sqlite = await call('POST', '/v1/benchmarks', {
      traceId,
      driver: 'sqlite',
      url: `sqlite:${join(dir, `shop-${store}.db`)}`,
      mode: 'replay',
      speed: 'max',
      setup: SHOP_SCHEMA,
    });
    expect(sqlite.status).toBe(202);
    expect((await follow(sqlite.json.job.id)).job.state).toBe('succeeded');
    const sqliteRun = (await call('GET', `/v1/benchmarks/${sqlite.json.benchmark.id}`)).json;
    expect(sqliteRun.summary).toMatchObject({ operations: 1_500, errors: 0, interrupted: false });
    // The job names its setup (kept as a blob), it does not carry it: a job row polled often stays small.
    const job = (await call('GET', `/v1/jobs/${sqlite.json.job.id}`)).json;
    expect(job.input).toMatchObject({ setupStatements: SHOP_SCHEMA.length, setupBlob: expect.any(String) });
    expect(job.input).not.toHaveProperty('setup');
    // A job an earlier version queued carries its setup in the row: it still runs with it.
    const older = await repository.createBenchmark({ traceId, driver: 'sqlite', target: 'older', settings: { mode: 'replay', speed: 'max' } });
    const olderJob = await server.jobs.submit('benchmark', {
      benchmarkId: older.id,
      traceId,
      driver: 'sqlite',
      url: `sqlite:${join(dir, `shop-older-${store}.db`)}`,
      settings: { mode: 'replay', speed: 'max' },
      setup: SHOP_SCHEMA,
    });
    expect((await follow(olderJob.id)).job.state).toBe('succeeded');
    expect((await call('GET', `/v1/benchmarks/${older.id}`)).json.summary).toMatchObject({ operations: 1_500, errors: 0 });
    if (!pgUp) return;
    const url = new URL(PG_URL);
    url.pathname = `/${PG_DATABASE}_${store}`;
    // The demo's SQLite schema in PostgreSQL's words.
    const pgSchema = SHOP_SCHEMA.map((s) =>
      s
        .replace('INTEGER PRIMARY KEY AUTOINCREMENT', 'SERIAL PRIMARY KEY')
        .replace(/(_at) TEXT/g, '$1 TIMESTAMPTZ')
        .replace(/date\('(\d{4}-\d\d-\d\d)', '-' \|\| \(i % (\d+)\) \|\| ' days'\)/g, "(DATE '$1' - (i % $2))"),
    );
    const postgres = await call('POST', '/v1/benchmarks', { traceId, driver: 'postgres', url: url.toString(), mode: 'replay', speed: 'max', setup: pgSchema });
    const pgJob = (await follow(postgres.json.job.id)).job;
    expect(pgJob.state).toBe('succeeded');
    const pgRun = (await call('GET', `/v1/benchmarks/${postgres.json.benchmark.id}`)).json;
    expect(pgRun.summary.operations).toBe(1_500);
    expect(pgRun.summary.errors).toBe(0);
    const compare = await call('GET', `/v1/benchmarks/compare?ids=${sqliteRun.id},${pgRun.id}&failOn=errors=1000`);
    expect(compare.status).toBe(200);
    expect(compare.json.passed).toBe(true);
    expect(compare.json.table).toContain(pgRun.id);
    const badBudget = await call('GET', `/v1/benchmarks/compare?ids=${sqliteRun.id},${pgRun.id}&failOn=speed=fast`);
    expect(badBudget.status).toBe(400);
  }, 60_000);

  it('refuses a target URL with a password, and never echoes it', async () => {
    for (const url of ['postgres://app:s3cret-pw@127.0.0.1/x', 'postgres://app:s3cret-pw/x@127.0.0.1/x', 'postgres://127.0.0.1/x?password=s3cret-pw']) {
      const refused = await call('POST', '/v1/benchmarks', { traceId, driver: 'postgres', url, mode: 'replay' });
      expect(refused.status).toBe(400);
      expect(refused.text).not.toContain('s3cret-pw');
    }
    const all = await call('GET', '/v1/benchmarks');
    expect(all.text).not.toContain('s3cret-pw');
  });

  it('errors: 404 and 400 in the one JSON shape, 413 for an upload over the limit', async () => {
    expect(await call('GET', '/v1/traces/tr_00000000000000000000')).toMatchObject({ status: 404, json: { error: { code: 'E_NOT_FOUND' } } });
    expect(await call('GET', '/v1/traces/not-an-id')).toMatchObject({ status: 400, json: { error: { code: 'E_USAGE' } } });
    expect(await call('POST', '/v1/models', { strategy: 'markov' })).toMatchObject({ status: 400, json: { error: { code: 'E_USAGE' } } });
    expect(await call('GET', '/v1/nowhere')).toMatchObject({ status: 404, json: { error: { code: 'E_NOT_FOUND' } } });
    const big = await call('POST', '/v1/traces?name=big.log', new Uint8Array(3 * 1024 * 1024), { 'content-type': 'application/octet-stream' });
    expect(big).toMatchObject({ status: 413, json: { error: { code: 'E_TOO_LARGE' } } });
  });

  it('cancels a running benchmark: the job ends cancelled and the results so far are kept', async () => {
    // A closed loop for 60 s, cancelled after a second and a half.
    const started = await call('POST', '/v1/benchmarks', {
      traceId,
      driver: 'sqlite',
      url: `sqlite:${join(dir, `shop-${store}.db`)}`,
      mode: 'closed',
      concurrency: 2,
      durationSeconds: 60,
    });
    await new Promise((r) => setTimeout(r, 1_500));
    // While it runs, /metrics (no token, loopback) has its series, labelled with its id, beside the server's own.
    const scraped = await (await fetch(`${base}/metrics`)).text();
    const ran = new RegExp(`^stb_queries_total\\{run="${started.json.benchmark.id}",template="[^"]+",kind="[a-z]+",status="ok"\\} (\\d+)$`, 'gm');
    expect([...scraped.matchAll(ran)].reduce((n, m) => n + Number(m[1]), 0)).toBeGreaterThan(0);
    expect(scraped).toMatch(new RegExp(`^stb_sessions_active\\{run="${started.json.benchmark.id}"\\} 2$`, 'm'));
    expect(scraped).toMatch(/^stb_api_jobs\{kind="benchmark",state="running"\} 1$/m);
    expect(scraped).toMatch(/^stb_api_requests_total\{method="POST",route="\/v1\/benchmarks",status="202"\} \d+$/m);
    expect(scraped).toMatch(/^process_resident_memory_bytes \d+$/m);
    const cancelled = await call('DELETE', `/v1/jobs/${started.json.job.id}`);
    expect(cancelled.json).toMatchObject({ state: 'cancelled' });
    const run = (await call('GET', `/v1/benchmarks/${started.json.benchmark.id}`)).json;
    expect(run.summary).toMatchObject({ interrupted: true });
    expect(run.summary.operations).toBeGreaterThan(0);
    expect((await call('GET', `/v1/benchmarks/${run.id}/results`)).json).toMatchObject({ schema: expect.any(String), interrupted: true });
  }, 30_000);
});

describe('REST API: a restart mid-job', () => {
  it('fails the job a stopped server left running, with the reason, and runs the one it left queued', async () => {
    const store = join(dir, 'restart.db');
    const first = (await openRepository(`sqlite:${store}`)).repository;
    const trace = await first.createTrace({ name: 'x', origin: 'uploaded' });
    const running = await first.createJob({ kind: 'benchmark', input: { benchmarkId: 'bm_x', traceId: trace.id } });
    await first.updateJob(running.id, { state: 'running', startedAt: new Date().toISOString(), progress: { operations: 500 } });
    // Queued: a parse of a blob that is not there — it runs, and fails for that reason.
    const queued = await first.createJob({ kind: 'parse', input: { traceId: trace.id, uploadBlob: 'uploads/none/x.log' } });
    await first.close();

    const repository2 = (await openRepository(`sqlite:${store}`)).repository;
    const restarted = await createApiServer({ repository: repository2, blobs: new FsBlobStore(join(dir, 'blobs-restart')) });
    await restarted.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(await repository2.getJob(running.id)).toMatchObject({
        state: 'failed',
        error: 'the server stopped while this job was running',
        progress: { operations: 500 },
      });
      let after = await repository2.getJob(queued.id);
      for (let i = 0; i < 50 && (after!.state === 'queued' || after!.state === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await repository2.getJob(queued.id);
      }
      expect(after).toMatchObject({ state: 'failed', error: expect.stringContaining('uploads/none/x.log') });
    } finally {
      await restarted.close();
      await repository2.close();
    }
  });
});

describe('REST API: /metrics for a Prometheus on another machine', () => {
  /** This machine's first non-loopback IPv4 address: a request to it comes from it, not from 127.0.0.1. */
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
  if (external === undefined) {
    const message = '\n!!! no non-loopback IPv4 address here: the test of /metrics from another address is SKIPPED !!!\n';
    if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
    console.warn(message);
  }

  (external !== undefined ? it : it.skip)('answers from another address only with a valid bearer token (403 without one)', async () => {
    const { repository: repo } = await openRepository(`sqlite:${join(dir, 'metrics-remote.db')}`);
    const remote = await createApiServer({ repository: repo, blobs: new FsBlobStore(join(dir, 'blobs-metrics-remote')) });
    try {
      await remote.listen({ host: '0.0.0.0', port: 0 });
      const port = (remote.server.address() as { port: number }).port;
      const scrapeToken = (await issueToken(repo, 'prometheus')).token;
      const without = await fetch(`http://${external}:${port}/metrics`);
      expect(without.status).toBe(403);
      expect(((await without.json()) as { error: { message: string } }).error.message).toMatch(/loopback, or with a valid bearer token/);
      expect((await fetch(`http://${external}:${port}/metrics`, { headers: { authorization: 'Bearer not-a-token-at-all' } })).status).toBe(403);
      const withToken = await fetch(`http://${external}:${port}/metrics`, { headers: { authorization: `Bearer ${scrapeToken}` } });
      expect(withToken.status).toBe(200);
      expect(await withToken.text()).toMatch(/^stb_api_requests_total\{/m);
      // From this machine, as before: no token needed.
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await remote.close();
      await repo.close();
    }
  });
});
