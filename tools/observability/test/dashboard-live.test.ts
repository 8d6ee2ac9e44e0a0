import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { LATENCY_BOUNDS } from '@sqltrace/bench';
import { BANK_TABLE, prepareBankTable, writeBankTrace } from '../src/bank-workload';
import { dashboardQueries, expand, readDashboard, type Variables } from '../src/dashboard';
import { query, queryRange, waitFor } from '../src/prometheus-api';
import { DASHBOARD, STB } from '../src/repo-paths';
import { PROMETHEUS, freePort, have, startPrometheus, type Running } from '../src/servers';

const PG_URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STB, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The dashboard against a real run: `stb bench` on the machine's PostgreSQL with metrics on,
 * scraped by Debian's Prometheus with the repository's configuration and recording rules, then
 * every query of the dashboard asked of Prometheus' HTTP API as Grafana would ask it.
 */
describe('the Grafana dashboard on a real run', () => {
  const ready = have(PROMETHEUS, 'the dashboard test against a real Prometheus');
  let pgUp = false;
  beforeAll(async () => {
    pgUp = await pgAnswers();
    if (!pgUp) {
      const message = `\n!!! PostgreSQL does not answer at ${PG_URL}: the dashboard test is SKIPPED !!!\n`;
      if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
      console.warn(message);
    }
  });

  (ready ? it : it.skip)(
    "answers every panel and annotation with data, and the totals, errors and p99 agree with the run's results",
    async () => {
      if (!pgUp) return;
      const dir = mkdtempSync(join(tmpdir(), 'stb-dashboard-'));
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await prepareBankTable(client);
      const trace = join(dir, 'trace.jsonl');
      writeBankTrace(trace);
      const metricsPort = await freePort();
      let prometheus: Running | undefined;
      let serve: ReturnType<typeof spawn> | undefined;
      try {
        const servePort = await freePort();
        serve = spawn(
          process.execPath,
          [STB, 'serve', '--port', String(servePort), '--store', `sqlite:${join(dir, 'repo.db')}`, '--blobs', join(dir, 'blobs')],
          { cwd: dir, stdio: 'ignore', env: { ...process.env, STB_API_TOKEN: 'test-token-0123456789' } },
        );
        prometheus = await startPrometheus({ bench: [`127.0.0.1:${metricsPort}`], serve: [`127.0.0.1:${servePort}`] });
        const label = `dash-${process.pid}-${Date.now()}`;
        const started = Date.now() / 1000;
        const r = await run(
          [
            'bench',
            trace,
            '--driver',
            'postgres',
            '--url',
            PG_URL,
            '--mode',
            'closed',
            '-c',
            '4',
            '-d',
            '20s',
            '--label',
            label,
            '--metrics-port',
            String(metricsPort),
            '--metrics-linger',
            '11s',
            '--metrics-templates',
            '3',
            '-o',
            join(dir, 'results.json'),
            '--accept-failed-run',
          ],
          dir,
        );
        const ended = Date.now() / 1000;
        expect(r.stderr).toContain(`metrics on http://127.0.0.1:${metricsPort}/metrics (run="${label}")`);
        expect(r.code).toBe(0);
        const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
          operations: number;
          errors: number;
          responseTime: { p99: number };
          errorsByClass: { errorClass: string; count: number }[];
        };
        expect(results.operations).toBeGreaterThan(1_000);
        expect(results.errors).toBeGreaterThan(0);
        const base = prometheus.url;
        // While the metrics lingered, Prometheus scraped the final values; ask at that time (after it, the target is gone and its series stale).
        const at = ended - 1;
        const v: Variables = { run: label, rateInterval: '20s', range: `${Math.ceil(ended - started)}s` };
        const dashboard = readDashboard(DASHBOARD);
        const empty: string[] = [];
        for (const q of dashboardQueries(dashboard)) {
          const expr = expand(q.expr, v);
          const series = q.instant ? await query(base, expr, at) : await queryRange(base, expr, started, at, 5);
          const points = series.flatMap((s) => (s.values ?? (s.value ? [s.value] : [])).filter(([, value]) => value !== 'NaN'));
          if (points.length === 0) empty.push(`${q.where}: ${expr}`);
        }
        expect(empty).toEqual([]);
        const scalar = async (expr: string) => Number((await query(base, expand(expr, v), at))[0]?.value?.[1]);
        const statExpr = (title: string) => dashboard.panels.find((p) => p.title === title)!.targets[0]!.expr;
        // The stat panels say what the results say.
        expect(await scalar(statExpr('Operations'))).toBe(results.operations);
        expect(await scalar(statExpr('Errors'))).toBe(results.errors);
        expect(await scalar(`sum by (class) (stb_errors_total{run="$run",class="42"})`)).toBe(results.errorsByClass.find((e) => e.errorClass === '42')?.count);
        // p99 from the buckets lies in the bucket that holds the results' exact (HDR) p99.
        const p99 = await scalar(statExpr('p99 response time (run)'));
        const exact = results.responseTime.p99 / 1000;
        const upper = LATENCY_BOUNDS.find((b) => b >= exact)!;
        const lower = LATENCY_BOUNDS[LATENCY_BOUNDS.indexOf(upper) - 1] ?? 0;
        expect(p99).toBeGreaterThanOrEqual(lower * 0.99);
        expect(p99).toBeLessThanOrEqual(upper * 1.01);
        // Three templates of their own (--metrics-templates 3), the fourth folded into "other"; the sums are whole.
        const templates = (await query(base, `sum by (template) (stb_queries_total{run="${label}"})`, at)).map((s) => s.metric.template).sort();
        expect(templates).toHaveLength(4);
        expect(templates).toContain('other');
        // The annotations mark the run's start and end.
        expect(await scalar('stb_run_start_time_seconds{run="$run"}')).toBeGreaterThanOrEqual(started - 1);
        expect(await scalar('stb_run_end_time_seconds{run="$run"}')).toBeLessThanOrEqual(ended);
        // The recording rules load and evaluate; stb serve is scraped too.
        const rules = (await (await fetch(`${base}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string; name: string }[] }[] } };
        expect(rules.data.groups.flatMap((g) => g.rules).filter((rule) => rule.health !== 'ok')).toEqual([]);
        await waitFor('stb serve to be scraped', async () => Number((await query(base, 'up{job="stb-serve"}'))[0]?.value?.[1]) === 1);
      } finally {
        serve?.kill('SIGTERM');
        await prometheus?.stop();
        await client.query(`DROP TABLE IF EXISTS ${BANK_TABLE}`).catch(() => undefined);
        await client.end();
      }
    },
    120_000,
  );
});
