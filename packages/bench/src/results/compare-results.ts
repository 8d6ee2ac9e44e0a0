import type { BenchResults } from './bench-results';
import { RESULT_METRICS, relativeChange } from './result-metrics';
import { runFailure } from './run-failure';

/** Two or more runs side by side: throughput and the latency ladder, each later run with its change against the first. */
export function renderComparison(runs: readonly { name: string; results: BenchResults }[]): string {
  const base = runs[0]!.results;
  // A failed run's figures are shown as they are, with no change against the others.
  const failed = runs.map((r) => runFailure(r.results) !== undefined);
  const header = ['', ...runs.map((r) => r.name)];
  const rows = RESULT_METRICS.map(({ label, get, better }) => [
    label,
    ...runs.map((run, i) => {
      const v = get(run.results);
      if (i === 0 || failed[i] || failed[0]) return fmt(v);
      const change = relativeChange(get(base), v);
      const worse = better === 'higher' ? change < 0 : change > 0;
      return `${fmt(v)} (${change === Infinity ? 'new' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`}${Math.abs(change) >= 0.05 ? (worse ? ' worse' : ' better') : ''})`;
    }),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const modes = new Set(runs.map((r) => `${r.results.mode} on ${r.results.driver}`));
  const failures = runs.flatMap((r, i) => (failed[i] ? [`FAILED ${r.name}: ${runFailure(r.results)}`] : []));
  return [
    ...(modes.size > 1 ? [`note: the runs differ in mode or target (${[...modes].join(' / ')})`] : []),
    ...failures,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}
