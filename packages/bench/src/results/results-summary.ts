import type { LatencySummary } from '../latency/latency-histogram';
import type { BenchResults } from './bench-results';

/** The text summary: the run, then the percentile ladder (p50/p90/p99/p99.9/max) overall and per template. */
export function renderResultsSummary(r: BenchResults, maxTemplates = 15): string {
  const lines: string[] = [];
  const spread =
    typeof r.settings['spreadOverUs'] === 'number'
      ? `statements sharing a tick spread over its ${r.settings['spreadOverUs'] >= 1_000_000 ? `${r.settings['spreadOverUs'] / 1_000_000} s` : `${r.settings['spreadOverUs'] / 1_000} ms`}`
      : '';
  const pipelined = [typeof r.settings['pipeline'] === 'number' ? `pipelined: up to ${r.settings['pipeline']} statements in flight per session` : '', spread]
    .filter(Boolean)
    .join('; ');
  lines.push(
    `${r.mode} run${pipelined ? ` (${pipelined})` : ''} on ${r.driver} (${r.target}): ${int(r.operations)} operations in ${r.durationSeconds.toFixed(2)} s = ${r.throughput.toFixed(1)} ops/s (goodput ${r.goodput.toFixed(1)}), ${int(r.errors)} errors, ${int(r.dropped)} dropped`,
  );
  lines.push(
    `connections: ${r.connections.opened} opened, peak ${r.connections.peak}, ${r.connections.lost} lost, ${r.connections.reopened} reopened; event loop delay p99 ${r.eventLoopDelay.p99.toFixed(2)} ms`,
  );
  if (r.interrupted) lines.push('INTERRUPTED: the run was stopped by a signal; the figures cover the time until then');
  if (r.endedEarly) lines.push(`ENDED EARLY: ${r.endedEarly}`);
  if (r.refused !== undefined && r.refused.statements > 0) {
    const classes = Object.entries(r.refused.byEffect)
      .map(([effect, n]) => `${effect === 'ddl' ? 'destructive DDL' : effect} ×${int(n)}`)
      .join(', ');
    const kinds = [...new Set(r.refused.templates.map((t) => t.what))].slice(0, 5).join(', ');
    lines.push(
      `REFUSED: ${int(r.refused.statements)} statements not sent (${classes}: ${kinds}) — send them with --allow ${Object.keys(r.refused.byEffect).join(',')}`,
    );
  }
  if (r.rolledBack !== undefined)
    lines.push(
      `rolled back by the server (deadlock or serialization failure): ${int(r.rolledBack.transactions)} transactions — the rest of each, ${int(r.rolledBack.statementsSkipped)} statements, not sent`,
    );
  lines.push('');
  const header = ['', 'ops', 'p50', 'p90', 'p99', 'p99.9', 'max (ms)'];
  const row = (name: string, ops: number, l: LatencySummary) => [name, int(ops), ms(l.p50), ms(l.p90), ms(l.p99), ms(l.p999), ms(l.max)];
  const rows: string[][] = [
    row('response time (done − intended)', r.operations, r.responseTime),
    row('service time (done − sent)', r.operations, r.serviceTime),
    row('schedule lag (sent − intended)', r.operations, r.scheduleLag),
  ];
  lines.push(grid(header, rows));
  if (r.templates.length > 0) {
    lines.push('\nresponse time by template:');
    lines.push(
      grid(
        ['template', 'ops', 'p50', 'p90', 'p99', 'p99.9', 'max (ms)'],
        r.templates.slice(0, maxTemplates).map((t) => row(truncate(t.example, 60), t.operations, t.responseTime)),
      ),
    );
    if (r.templates.length > maxTemplates) lines.push(`… ${r.templates.length - maxTemplates} more templates in the JSON results`);
    const prepared = r.templates.filter((t) => t.protocol === 'prepared' || t.protocol === 'mixed');
    if (prepared.length > 0) {
      const mixed = prepared.filter((t) => t.protocol === 'mixed').length;
      lines.push(
        `${prepared.length} of ${r.templates.length} templates ran as server-side prepared statements, as the log had them${mixed > 0 ? ` (${mixed} partly)` : ''}; the others as text (each template's "protocol" in the JSON results)`,
      );
    }
  }
  if (r.errorsByClass.length > 0) {
    lines.push('\nerrors by class:');
    for (const e of r.errorsByClass)
      lines.push(
        `  ${e.errorClass}: ${int(e.count)} (${Object.entries(e.codes)
          .map(([c, n]) => `${c} ×${n}`)
          .join(', ')}) e.g. ${e.examples[0] ?? ''}`,
      );
  }
  if (r.sessionsBehind.length > 0 && r.sessionsBehind[0]!.maxLagMs > 0) {
    lines.push(
      `\nsessions furthest behind schedule: ${r.sessionsBehind
        .slice(0, 5)
        .map((s) => `${s.session} ${s.maxLagMs.toFixed(1)} ms`)
        .join(', ')}`,
    );
  }
  return lines.join('\n');
}

function grid(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3);
}

function int(n: number): string {
  return n.toLocaleString('en');
}

function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > width ? flat.slice(0, width - 1) + '…' : flat;
}
