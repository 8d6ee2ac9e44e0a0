import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceSource } from '@sqltrace/core';
import { BenchmarkRunner, PrometheusMetrics } from '@sqltrace/bench';
import { SqliteDriver } from '@sqltrace/driver-sqlite';

/** Debian's Prometheus (apt-get install prometheus); `.ci/run` installs it. */
const PROMETHEUS = process.env.STB_PROMETHEUS ?? '/usr/bin/prometheus';
const HAVE = existsSync(PROMETHEUS);
if (!HAVE) {
  const message = `\n!!! ${PROMETHEUS} is missing: the Prometheus scrape test is SKIPPED (apt-get install prometheus) !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
  console.warn(message);
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

(HAVE ? describe : describe.skip)('metrics scraped by a real Prometheus server', () => {
  it('exposes stb_* series that Prometheus scrapes and answers queries about', async () => {
    const metrics = new PrometheusMetrics();
    const metricsPort = await metrics.listen(0);
    const promPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'stb-prom-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 500ms\nscrape_configs:\n  - job_name: stb\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`,
    );
    const prometheus = spawn(
      PROMETHEUS,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' },
    );
    const driver = new SqliteDriver({ url: ':memory:' });
    try {
      const trace: TraceSource = {
        name: 't',
        events: async function* () {
          yield { ts: 1, session: 'a', sql: 'SELECT 1', templateId: 'one' };
        },
      };
      await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'closed', concurrency: 2, durationSeconds: 4, metrics }).run(trace);
      // Prometheus keeps the last scraped values; wait for a scrape after the run, then ask.
      let value = 0;
      for (let attempt = 0; attempt < 40 && !(value > 0); attempt++) {
        await new Promise((r) => setTimeout(r, 250));
        const response = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent('sum(stb_queries_total{status="ok"})')}`).catch(
          () => undefined,
        );
        const body = (await response?.json().catch(() => undefined)) as { data?: { result?: { value: [number, string] }[] } } | undefined;
        value = Number(body?.data?.result?.[0]?.value[1] ?? 0);
      }
      expect(value).toBeGreaterThan(1_000);
      const lag = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=stb_schedule_lag_seconds_count`)).json()) as {
        data: { result: unknown[] };
      };
      expect(lag.data.result.length).toBe(1);
      const targets = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
      expect(targets.data.activeTargets[0]?.health).toBe('up');
    } finally {
      prometheus.kill();
      await metrics.close();
      await driver.destroy();
    }
  }, 60_000);
});
