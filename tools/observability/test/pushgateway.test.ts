import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STB } from '../src/repo-paths';
import { PUSHGATEWAY, have, startPushgateway } from '../src/servers';

function stb(args: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [STB, ...args], { encoding: 'utf8', cwd, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The value of the series of `name` in the Pushgateway's /metrics whose labels include every one of `labels`. */
function pushed(text: string, name: string, labels: Record<string, string>): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}

/** A run shorter than any scrape interval, seen through Debian's Pushgateway. */
describe('stb bench --metrics-push', () => {
  (have(PUSHGATEWAY, 'the Pushgateway test') ? it : it.skip)(
    "pushes a short run's totals under its run label, and deletes its group when asked",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'stb-push-'));
      const trace = join(dir, 'trace.jsonl');
      writeFileSync(
        trace,
        ['SELECT 1', 'SELECT 2', 'SELECT nope'].map((sql, i) => JSON.stringify({ ts: i, session: 'a', sql, templateId: `t${i}` })).join('\n') + '\n',
      );
      const gateway = await startPushgateway();
      try {
        const kept = stb(
          [
            'bench',
            trace,
            '--driver',
            'sqlite',
            '--mode',
            'closed',
            '-c',
            '1',
            '-d',
            '1s',
            '--label',
            'ci-short',
            '--metrics-push',
            gateway.url,
            '-o',
            join(dir, 'a.json'),
            '--accept-failed-run',
          ],
          dir,
        );
        expect(kept.stderr).toContain(`metrics pushed to ${gateway.url} (job="stb", run="ci-short")`);
        expect(kept.code).toBe(0);
        const results = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as { operations: number; errors: number };
        let text = await (await fetch(`${gateway.url}/metrics`)).text();
        const ops = pushed(text, 'stb_queries_total', { job: 'stb', run: 'ci-short' });
        expect(ops.reduce((a, b) => a + b, 0)).toBe(results.operations);
        expect(pushed(text, 'stb_errors_total', { run: 'ci-short' }).reduce((a, b) => a + b, 0)).toBe(results.errors);
        expect(pushed(text, 'stb_run_end_time_seconds', { run: 'ci-short' })).toHaveLength(1);
        expect(pushed(text, 'push_time_seconds', { job: 'stb', run: 'ci-short' })).toHaveLength(1);
        // Asked to clean up: the group is gone at the end; the first run's stays.
        const removed = stb(
          [
            'bench',
            trace,
            '--driver',
            'sqlite',
            '--mode',
            'closed',
            '-c',
            '1',
            '-d',
            '1s',
            '--label',
            'ci-gone',
            '--metrics-push',
            gateway.url,
            '--metrics-push-delete',
            '--accept-failed-run',
          ],
          dir,
        );
        expect(removed.code).toBe(0);
        text = await (await fetch(`${gateway.url}/metrics`)).text();
        expect(pushed(text, 'stb_queries_total', { run: 'ci-gone' })).toEqual([]);
        expect(pushed(text, 'stb_queries_total', { run: 'ci-short' }).length).toBeGreaterThan(0);
        // A gateway that is not there: the run stands, the failure is said.
        const down = stb(
          ['bench', trace, '--driver', 'sqlite', '--mode', 'closed', '-c', '1', '-d', '1s', '--metrics-push', 'http://127.0.0.1:9', '--accept-failed-run'],
          dir,
        );
        expect(down.code).toBe(0);
        expect(down.stderr).toMatch(/pushing metrics to the Pushgateway at http:\/\/127\.0\.0\.1:9 failed: .*ECONNREFUSED/);
        const bad = stb(['bench', trace, '--driver', 'sqlite', '--metrics-push', 'not a url'], dir);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toMatch(/--metrics-push: the Pushgateway URL "not a url" is not a URL/);
      } finally {
        await gateway.stop();
      }
    },
    60_000,
  );
});
