import { expand, type Dashboard, type Panel, type Variables } from './dashboard';
import { query, queryRange, type Series } from './prometheus-api';

/** One panel's data as Prometheus answered its queries. */
interface PanelData {
  readonly panel: Panel;
  readonly series: { readonly name: string; readonly points: [number, number][] }[];
}

const COLORS = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#fade2a'];
const ROW_PX = 30;
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function legend(format: string | undefined, metric: Record<string, string>): string {
  return (format ?? '').replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => metric[k] ?? '') || JSON.stringify(metric);
}

function formatValue(value: number, unit: string | undefined): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 's') return value >= 1 ? `${value.toFixed(2)} s` : value >= 0.001 ? `${(value * 1000).toFixed(2)} ms` : `${(value * 1e6).toFixed(0)} µs`;
  if (unit === 'percentunit') return `${(value * 100).toFixed(0)}%`;
  if (unit === 'ops') return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ops/s`;
  return value >= 1000 ? Math.round(value).toLocaleString('en') : String(Math.round(value * 100) / 100);
}

/** Asks Prometheus every query of every panel, over [start, end] (the range queries) or at `end` (the instant ones). */
export async function panelData(base: string, dashboard: Dashboard, v: Variables, start: number, end: number): Promise<PanelData[]> {
  const step = Math.max(1, Math.round((end - start) / 120));
  const out: PanelData[] = [];
  for (const panel of dashboard.panels) {
    const series: PanelData['series'] = [];
    for (const target of panel.targets) {
      const expr = expand(target.expr, v);
      const answer: Series[] = target.instant === true ? await query(base, expr, end) : await queryRange(base, expr, start, end, step);
      for (const s of answer) {
        const points = (s.values ?? (s.value ? [s.value] : []))
          .map(([t, value]): [number, number] => [t, Number(value)])
          .filter(([, value]) => Number.isFinite(value));
        series.push({ name: legend(target.legendFormat, s.metric), points });
      }
    }
    out.push({ panel, series });
  }
  return out;
}

function timeseries(d: PanelData, width: number, height: number): string {
  const unit = d.panel.fieldConfig?.defaults?.unit;
  const all = d.series.flatMap((s) => s.points);
  if (all.length === 0) return '<div class="empty">No data</div>';
  const t0 = Math.min(...all.map(([t]) => t)),
    t1 = Math.max(...all.map(([t]) => t));
  const max = Math.max(...all.map(([, value]) => value)) * 1.1 || 1;
  const left = 70,
    bottom = 22,
    w = width - left - 10,
    h = height - bottom - 8;
  const x = (t: number) => left + ((t - t0) / Math.max(1, t1 - t0)) * w;
  const y = (value: number) => 8 + h - (value / max) * h;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${left}" x2="${left + w}" y1="${y(max * f)}" y2="${y(max * f)}" class="grid"/><text x="${left - 6}" y="${y(max * f) + 4}" class="axis" text-anchor="end">${escapeHtml(formatValue(max * f, unit))}</text>`,
    )
    .join('');
  const anchors = ['start', 'middle', 'end'];
  const times = [t0, (t0 + t1) / 2, t1]
    .map((t, i) => `<text x="${x(t)}" y="${height - 4}" class="axis" text-anchor="${anchors[i]}">${new Date(t * 1000).toISOString().slice(11, 19)}</text>`)
    .join('');
  const lines = d.series
    .map(
      (s, i) =>
        `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${s.points.map(([t, value]) => `${x(t).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const keys = d.series.map((s, i) => `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${escapeHtml(s.name)}</span>`).join('');
  return `<svg width="${width}" height="${height}">${grid}${times}${lines}</svg><div class="legend">${keys}</div>`;
}

function stat(d: PanelData): string {
  const last = d.series[0]?.points.at(-1)?.[1];
  return `<div class="stat">${last === undefined ? 'No data' : escapeHtml(formatValue(last, d.panel.fieldConfig?.defaults?.unit))}</div>`;
}

function bars(d: PanelData, width: number): string {
  const rows = d.series.map((s) => ({ name: s.name, value: s.points.at(-1)?.[1] ?? 0 })).sort((a, b) => b.value - a.value);
  const max = Math.max(...rows.map((r) => r.value), 1e-12);
  return rows
    .map(
      (r, i) =>
        `<div class="bar"><span class="name">${escapeHtml(r.name.length > 60 ? r.name.slice(0, 59) + '…' : r.name)}</span><span class="track"><b style="width:${((r.value / max) * (width - 340)).toFixed(0)}px;background:${COLORS[i % COLORS.length]}"></b></span><span class="value">${escapeHtml(formatValue(r.value, 's'))}</span></div>`,
    )
    .join('');
}

/**
 * A page that draws the dashboard's panels where Grafana puts them (its 24-column grid), from the
 * data Prometheus returned for the dashboard's own queries: a picture of the dashboard where Grafana
 * itself cannot run.
 */
export function renderPage(dashboard: Dashboard, data: readonly PanelData[], caption: string, pageWidth = 1600): string {
  const col = pageWidth / 24;
  const panels = data.map((d) => {
    const g = d.panel.gridPos;
    const width = g.w * col - 12,
      height = g.h * ROW_PX - 12;
    const body = d.panel.type === 'stat' ? stat(d) : d.panel.type === 'bargauge' ? bars(d, width) : timeseries(d, width - 16, height - 64);
    return `<section style="left:${g.x * col + 6}px;top:${g.y * ROW_PX + 6}px;width:${width}px;height:${height}px"><h2>${escapeHtml(d.panel.title)}</h2>${body}</section>`;
  });
  const bottom = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h)) * ROW_PX + 12;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(dashboard.title)}</title><style>
body{margin:0;background:#111217;color:#ccccdc;font:13px Inter,Helvetica,Arial,sans-serif}
header{padding:10px 14px;font-size:16px;color:#fff}header small{color:#8e8e9a;font-size:12px;margin-left:12px}
main{position:relative;height:${bottom}px;width:${pageWidth}px}
section{position:absolute;background:#181b1f;border:1px solid #2a2d33;border-radius:3px;box-sizing:border-box;padding:6px 8px;overflow:hidden}
h2{margin:0 0 6px;font-size:13px;font-weight:500;color:#d8d9da}
.stat{font-size:34px;color:#73bf69;font-weight:500;margin-top:8px}.empty{color:#8e8e9a}
.grid{stroke:#2c3235;stroke-width:1}.axis{fill:#8e8e9a;font-size:10px}
.legend span{margin-right:14px;font-size:11px}.legend i{display:inline-block;width:12px;height:3px;margin-right:5px;vertical-align:middle}
.bar{display:flex;align-items:center;margin:5px 0;font-size:11px}.bar .name{width:240px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar .track{flex:1}.bar b{display:inline-block;height:14px}.bar .value{width:80px;text-align:right}
</style></head><body><header>${escapeHtml(dashboard.title)}<small>${escapeHtml(caption)}</small></header><main>${panels.join('')}</main></body></html>`;
}
