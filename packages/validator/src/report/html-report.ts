import type { PropertyOutcome } from '../comparison/property';
import type { FidelityReportJson } from './fidelity-report';

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no network. Every
 * piece of trace text (SQL, names) goes through {@link escapeHtml}.
 */
export function renderHtmlReport(report: FidelityReportJson): string {
  const verdict = report.passed ? 'PASS' : 'FAIL';
  const cdfs = report.properties.filter(
    (p) => p.details?.original !== undefined && Array.isArray(p.details.original) && (p.details.original as unknown[]).length === 101,
  );
  const mix = report.properties.find((p) => p.property === 'template-mix');
  const concurrency = report.properties.find((p) => p.property === 'concurrency' && Array.isArray(p.details?.curveOriginal));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Workload fidelity: ${escapeHtml(report.synthetic.name)} vs ${escapeHtml(report.original.name)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d2433;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eef;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#176b36;font-weight:600}.fail{color:#b3261e;font-weight:600}.skip{color:#777}
.badge{display:inline-block;padding:.2rem .7rem;border-radius:1rem;color:#fff;font-weight:700}.badge.pass{background:#1e8e4e}.badge.fail{background:#c5221f}
code{font:12px ui-monospace,Menlo,monospace;white-space:pre-wrap;word-break:break-all}.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0;border:1px solid #eef;border-radius:6px;padding:.5rem}figcaption{font-weight:600;margin-bottom:.3rem}.legend span{margin-right:1rem}
.o{color:#3b6fd8}.s{color:#e8710a}
</style></head><body>
<h1>Workload fidelity <span class="badge ${report.passed ? 'pass' : 'fail'}">${verdict}</span></h1>
<p>Score <b>${fmt(report.score, 3)}</b>${report.failUnder !== undefined ? ` (must be ≥ ${fmt(report.failUnder, 2)})` : ''} · ${report.failed.length === 0 ? 'every property passes' : `failed: ${escapeHtml(report.failed.join(', '))}`}</p>
<table><tr><th></th><th>trace</th><th class="n">events</th><th class="n">sessions</th><th class="n">templates</th></tr>
<tr><td class="o">original</td><td><code>${escapeHtml(report.original.name)}</code></td><td class="n">${int(report.original.events)}</td><td class="n">${int(report.original.sessions)}</td><td class="n">${int(report.original.templates)}</td></tr>
<tr><td class="s">synthetic</td><td><code>${escapeHtml(report.synthetic.name)}</code></td><td class="n">${int(report.synthetic.events)}</td><td class="n">${int(report.synthetic.sessions)}</td><td class="n">${int(report.synthetic.templates)}</td></tr></table>
<h2>Properties</h2>
<table><tr><th>property</th><th>measure</th><th class="n">effect</th><th class="n">threshold</th><th class="n">p</th><th class="n">p (Holm)</th><th>verdict</th></tr>
${report.properties.map(propertyRow).join('\n')}
</table>
<h2>Distributions</h2>
<p class="legend"><span class="o">■ original</span><span class="s">■ synthetic</span></p>
<div class="charts">${cdfs.map((p) => cdfChart(p)).join('\n')}</div>
${concurrency ? `<h2>Open sessions over time</h2>${concurrencyChart(concurrency)}` : ''}
${mix ? `<h2>Template mix</h2>${mixChart(mix)}` : ''}
<h2>Transitions between the most frequent templates</h2>
${heatmaps(report)}
<p class="skip">${escapeHtml(`${report.schema} v${report.version}`)} · written by SQL Trace Bench</p>
</body></html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

function propertyRow(p: PropertyOutcome): string {
  const verdict =
    p.skipped !== undefined
      ? `<span class="skip">skipped: ${escapeHtml(p.skipped)}</span>`
      : p.passed
        ? `<span class="pass">pass</span>${p.note ? ` <span class="skip">(${escapeHtml(p.note)})</span>` : ''}`
        : '<span class="fail">FAIL</span>';
  return `<tr><td><b>${escapeHtml(p.property)}</b></td><td>${escapeHtml(p.measure)}</td><td class="n">${p.skipped ? '–' : fmt(p.effectSize, 4)}</td><td class="n">${fmt(p.threshold, 3)}</td><td class="n">${p.pValue !== undefined ? pv(p.pValue) : '–'}</td><td class="n">${p.pAdjusted !== undefined ? pv(p.pAdjusted) : '–'}</td><td>${verdict}</td></tr>`;
}

const W = 340,
  H = 200,
  PAD = 34;

function cdfChart(p: PropertyOutcome): string {
  const a = p.details!.original as number[],
    b = p.details!.synthetic as number[];
  const lo = Math.min(a[0]!, b[0]!),
    hi = Math.max(a[100]!, b[100]!);
  // Heavy tails read better on a log scale when the values span more than two decades.
  const log = lo >= 0 && hi > 0 && hi / Math.max(lo, hi / 1e6, 1e-9) > 100;
  const tx = (v: number) => {
    const t = log
      ? (Math.log10(Math.max(v, hi / 1e6, 1e-9)) - Math.log10(Math.max(lo, hi / 1e6, 1e-9))) / (Math.log10(hi) - Math.log10(Math.max(lo, hi / 1e6, 1e-9)) || 1)
      : (v - lo) / (hi - lo || 1);
    return PAD + t * (W - PAD - 8);
  };
  const ty = (q: number) => H - PAD + -q * (H - PAD - 8);
  const line = (values: number[], cls: string, color: string) =>
    `<polyline class="${cls}" fill="none" stroke="${color}" stroke-width="2" points="${values.map((v, q) => `${tx(v).toFixed(1)},${ty(q / 100).toFixed(1)}`).join(' ')}"/>`;
  return `<figure><figcaption>${escapeHtml(p.property)} — KS ${fmt(p.effectSize, 3)}</figcaption><svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(p.property)} CDFs">
<line x1="${PAD}" y1="${H - PAD}" x2="${W - 8}" y2="${H - PAD}" stroke="#99a"/><line x1="${PAD}" y1="8" x2="${PAD}" y2="${H - PAD}" stroke="#99a"/>
<text x="${PAD}" y="${H - 12}" font-size="10">${escapeHtml(fmt(lo, 3))}</text><text x="${W - 8}" y="${H - 12}" font-size="10" text-anchor="end">${escapeHtml(fmt(hi, 3))}${log ? ' (log)' : ''}</text>
<text x="4" y="14" font-size="10">1</text><text x="4" y="${H - PAD}" font-size="10">0</text>
${line(a, 'original', '#3b6fd8')}${line(b, 'synthetic', '#e8710a')}</svg></figure>`;
}

/** Open sessions over each trace's span (20 slices), both traces on one chart. */
function concurrencyChart(p: PropertyOutcome): string {
  const a = p.details!.curveOriginal as number[],
    b = p.details!.curveSynthetic as number[];
  const width = 700,
    top = Math.max(1e-9, ...a, ...b);
  const tx = (i: number) => PAD + (i / Math.max(1, a.length - 1)) * (width - PAD - 8);
  const ty = (v: number) => H - PAD - (v / top) * (H - PAD - 8);
  const line = (values: number[], cls: string, color: string) =>
    `<polyline class="${cls}" fill="none" stroke="${color}" stroke-width="2" points="${values.map((v, i) => `${tx(i).toFixed(1)},${ty(v).toFixed(1)}`).join(' ')}"/>`;
  const d = p.details!;
  return `<figure><figcaption>concurrency — mean open ${fmt(d.meanOriginal as number, 2)} (original) vs ${fmt(d.meanSynthetic as number, 2)} (synthetic); relative L1 ${fmt(d.relativeL1 as number, 3)}, TVD of levels ${fmt(d.levelsTvd as number, 3)}</figcaption>
<svg width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" role="img" aria-label="open sessions over time">
<line x1="${PAD}" y1="${H - PAD}" x2="${width - 8}" y2="${H - PAD}" stroke="#99a"/><line x1="${PAD}" y1="8" x2="${PAD}" y2="${H - PAD}" stroke="#99a"/>
<text x="${PAD}" y="${H - 12}" font-size="10">start</text><text x="${width - 8}" y="${H - 12}" font-size="10" text-anchor="end">end of each trace</text>
<text x="4" y="14" font-size="10">${escapeHtml(fmt(top, 3))}</text><text x="4" y="${H - PAD}" font-size="10">0</text>
${line(a, 'original', '#3b6fd8')}${line(b, 'synthetic', '#e8710a')}</svg></figure>`;
}

function mixChart(p: PropertyOutcome): string {
  const top = (p.details?.top ?? []) as { template: string; example: string; original: number; synthetic: number }[];
  const max = Math.max(1e-9, ...top.flatMap((t) => [t.original, t.synthetic]));
  const rows = top.map(
    (t) =>
      `<tr><td style="width:40%"><code>${escapeHtml(t.example.length > 160 ? t.example.slice(0, 159) + '…' : t.example)}</code></td><td class="n">${pct(t.original)}</td><td class="n">${pct(t.synthetic)}</td><td style="width:35%"><svg width="100%" height="22" viewBox="0 0 300 22" preserveAspectRatio="none"><rect x="0" y="2" height="8" width="${((t.original / max) * 300).toFixed(1)}" fill="#3b6fd8"/><rect x="0" y="12" height="8" width="${((t.synthetic / max) * 300).toFixed(1)}" fill="#e8710a"/></svg></td></tr>`,
  );
  return `<table><tr><th>template</th><th class="n">original</th><th class="n">synthetic</th><th></th></tr>${rows.join('\n')}</table>`;
}

function heatmaps(report: FidelityReportJson): string {
  const { states, original, synthetic } = report.transitionMatrix;
  if (original.length === 0) return '<p class="skip">no transitions</p>';
  const cell = 22,
    label = 30;
  const grid = (m: number[][], title: string) => {
    const size = label + states.length * cell;
    const cells = m.flatMap((row, i) =>
      row.map(
        (v, j) =>
          `<rect x="${label + j * cell}" y="${label + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="rgba(59,111,216,${v.toFixed(3)})"><title>${escapeHtml(`${states[i]!.example} → ${states[j]!.example}: ${pct(v)}`)}</title></rect>`,
      ),
    );
    const labels =
      states.map((_, k) => `<text x="${label + k * cell + cell / 2}" y="${label - 6}" font-size="10" text-anchor="middle">${k + 1}</text>`).join('') +
      m.map((_, k) => `<text x="${label - 6}" y="${label + k * cell + cell / 2 + 4}" font-size="10" text-anchor="end">${k + 1}</text>`).join('');
    return `<figure><figcaption>${title}</figcaption><svg width="${size}" height="${label + m.length * cell}" role="img" aria-label="${title} transition heatmap">${labels}${cells.join('')}</svg></figure>`;
  };
  const legend = states
    .map(
      (s, k) => `<tr><td class="n">${k + 1}</td><td><code>${escapeHtml(s.example.length > 140 ? s.example.slice(0, 139) + '…' : s.example)}</code></td></tr>`,
    )
    .join('');
  return `<div class="charts">${grid(original, 'original')}${grid(synthetic, 'synthetic')}</div><p>Row: from; column: to (shares of the row's next statements).</p><table>${legend}</table>`;
}

function fmt(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1e6 || (Math.abs(v) > 0 && Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toFixed(digits)).toString();
}

function pv(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function int(n: number): string {
  return n.toLocaleString('en');
}
