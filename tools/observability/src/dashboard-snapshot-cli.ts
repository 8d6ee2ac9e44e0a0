/**
 * `npm run -w @sqltrace/observability snapshot [-- out.png]`: a picture of the Grafana dashboard from
 * a real run, for the README. It runs the banking workload with `stb bench` on this machine's
 * PostgreSQL (STB_PG_URL) — a closed loop of 8 for 20 s, then of 2 for 20 s, then of 8 again — with
 * metrics scraped by Debian's Prometheus using docker/prometheus, asks Prometheus the dashboard's own
 * queries, draws the panels on a page where Grafana would put them, and has headless Chromium take
 * the picture (Grafana itself cannot be installed here).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { BANK_TABLE, prepareBankTable, writeBankTrace } from './bank-workload';
import { readDashboard } from './dashboard';
import { panelData, renderPage } from './dashboard-page';
import { DASHBOARD, ROOT, STB } from './repo-paths';
import { freePort, startPrometheus } from './servers';

const PG_URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHROMIUM = process.env.STB_CHROMIUM ?? '/usr/bin/chromium';

function bench(args: readonly string[]): Promise<number | null> {
  return new Promise((done) => spawn(process.execPath, [STB, 'bench', ...args], { stdio: ['ignore', 'ignore', 'inherit'] }).on('close', done));
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join(ROOT, 'docs', 'images', 'grafana-dashboard.png'));
  const dir = mkdtempSync(join(tmpdir(), 'stb-snapshot-'));
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await prepareBankTable(client);
  const trace = join(dir, 'trace.jsonl');
  writeBankTrace(trace);
  const port = await freePort();
  const prometheus = await startPrometheus({ bench: [`127.0.0.1:${port}`] });
  const label = `readme-${new Date().toISOString().slice(0, 16)}`;
  const start = Date.now() / 1000;
  try {
    // One run, three phases: each phase is its own `stb bench` on the same run label and port.
    for (const [concurrency, linger] of [
      [8, '0s'],
      [2, '0s'],
      [8, '11s'],
    ] as const) {
      const code = await bench([
        trace,
        '--driver',
        'postgres',
        '--url',
        PG_URL,
        '--mode',
        'closed',
        '-c',
        String(concurrency),
        '-d',
        '20s',
        '--label',
        label,
        '--metrics-port',
        String(port),
        '--metrics-linger',
        linger,
        '--metrics-templates',
        '3',
        '--accept-failed-run',
      ]);
      if (code !== 0) throw new Error(`stb bench exited ${code}`);
    }
    const end = Date.now() / 1000 - 1;
    const dashboard = readDashboard(DASHBOARD);
    const data = await panelData(prometheus.url, dashboard, { run: label, rateInterval: '20s', range: `${Math.ceil(end - start)}s` }, start, end);
    const page = join(dir, 'dashboard.html');
    writeFileSync(
      page,
      renderPage(
        dashboard,
        data,
        `run="${label}" · stb bench --mode closed on PostgreSQL ${PG_URL.replace(/\/\/[^@]*@/, '//')} · drawn from Prometheus' answers to the dashboard's queries`,
      ),
    );
    const shot = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'chromium')}`,
        '--hide-scrollbars',
        '--window-size=1600,1380',
        `--screenshot=${out}`,
        `file://${page}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (shot.status !== 0) throw new Error(`chromium failed: ${shot.stderr}`);
    console.log(`dashboard snapshot written to ${out} (page: ${page})`);
  } finally {
    await prometheus.stop();
    await client.query(`DROP TABLE IF EXISTS ${BANK_TABLE}`).catch(() => undefined);
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(`snapshot: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
