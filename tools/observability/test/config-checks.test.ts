import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { PrometheusMetrics } from '@sqltrace/bench';
import { dashboardQueries, readDashboard } from '../src/dashboard';
import { COMPOSE, DASHBOARD, DATASOURCES, DOCKER, PROMETHEUS_DIR } from '../src/repo-paths';
import { PROMTOOL, have } from '../src/servers';

const COMPOSE_BIN = process.env.STB_DOCKER_COMPOSE ?? '/usr/bin/docker-compose';

/** The metric names a query uses (identifiers followed by `{` or `[`, or a recording rule's name). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\s*[{[]/gi)].map((m) => m[1]!).filter((n) => !['by', 'without', 'on', 'ignoring'].includes(n));
}

describe('docker/: configuration the tools accept', () => {
  (have(PROMTOOL, 'promtool check config/rules') ? it : it.skip)('promtool accepts the Prometheus configuration and the recording rules', () => {
    const config = spawnSync(PROMTOOL, ['check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml')], { encoding: 'utf8' });
    expect(config.stdout + config.stderr).toMatch(/SUCCESS: .*prometheus\.yml is valid/);
    expect(config.status).toBe(0);
    const rules = spawnSync(PROMTOOL, ['check', 'rules', join(PROMETHEUS_DIR, 'rules', 'stb.yml')], { encoding: 'utf8' });
    expect(rules.stdout).toMatch(/SUCCESS: 4 rules found/);
    expect(rules.status).toBe(0);
  });

  (have(COMPOSE_BIN, 'docker-compose config') ? it : it.skip)(
    'docker-compose accepts the compose file: the API built from the repo, its PostgreSQL repository, Prometheus, Pushgateway, Grafana, a target',
    () => {
      const r = spawnSync(COMPOSE_BIN, ['-f', COMPOSE, 'config'], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      for (const service of ['stb-serve', 'repository', 'target', 'prometheus', 'pushgateway', 'grafana'])
        expect(r.stdout).toMatch(new RegExp(`^  ${service}:$`, 'm'));
      // Every file it mounts or builds from is in the repository.
      for (const path of [
        'Dockerfile',
        'stb/targets.json',
        'prometheus/prometheus.yml',
        'grafana/provisioning/datasources/prometheus.yml',
        'grafana/dashboards/stb-bench.json',
      ])
        expect(existsSync(join(DOCKER, path))).toBe(true);
      const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^FROM .* AS build$/m); // multi-stage
      expect(dockerfile).toMatch(/^USER node$/m); // non-root
      expect(dockerfile).toMatch(/^HEALTHCHECK /m);
      expect(dockerfile).toMatch(/npm install --omit=dev/);
    },
  );

  it('the dashboard is well formed: unique panel ids, no overlapping panels, every datasource the provisioned one, every query on a metric stb exports or a recording rule', async () => {
    const dashboard = readDashboard(DASHBOARD);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    // Panels on the 24-column grid, none over another.
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`) ? `panel ${p.id} overlaps at ${x},${y}` : '').toBe('');
          cells.add(`${x},${y}`);
        }
    }
    const provisioned = /^\s+uid:\s*(\S+)$/m.exec(readFileSync(DATASOURCES, 'utf8'))?.[1];
    expect(provisioned).toBe('stb-prometheus');
    const refs = [
      ...dashboard.panels.flatMap((p) => [p.datasource, ...p.targets.map((t) => t.datasource)]),
      ...dashboard.templating.list.map((t) => t.datasource),
      ...dashboard.annotations.list.filter((a) => a.builtIn !== 1).map((a) => a.datasource),
    ];
    expect(refs.filter((ref) => ref?.uid !== provisioned || ref?.type !== 'prometheus')).toEqual([]);
    // What stb bench exports (one operation of each status, so every family has series) and what the rules record.
    const metrics = new PrometheusMetrics({ registry: new Registry(), run: 'x' });
    metrics.recordOperation({ template: 't', kind: 'select', status: 'ok', responseSeconds: 0.001, serviceSeconds: 0.001, scheduleLagSeconds: 0 });
    metrics.recordOperation({
      template: 't',
      kind: 'select',
      status: 'error',
      errorClass: '42',
      responseSeconds: 0.001,
      serviceSeconds: 0.001,
      scheduleLagSeconds: 0,
    });
    await metrics.close();
    const exported = new Set([...(await metrics.registry.metrics()).matchAll(/^([a-z_:]+)(?:\{| )/gm)].map((m) => m[1]!));
    const recorded = new Set([...readFileSync(join(PROMETHEUS_DIR, 'rules', 'stb.yml'), 'utf8').matchAll(/record:\s*(\S+)/g)].map((m) => m[1]!));
    const unknown = dashboardQueries(dashboard).flatMap((q) =>
      metricNames(q.expr)
        .filter((n) => !exported.has(n) && !recorded.has(n))
        .map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // Metric names follow Prometheus' conventions: counters end in _total, times are in seconds.
    const text = await metrics.registry.metrics();
    for (const [, name, type] of text.matchAll(/^# TYPE (stb_\S+) (\S+)$/gm)) {
      if (type === 'counter') expect(name).toMatch(/_total$/);
      if (/duration|time|lag|delay/.test(name!)) expect(name).toMatch(/_seconds(_total)?$/);
    }
  });
});
