import { StbError } from '@sqltrace/core';
import { LatencyHistogram, type LatencySummary } from '../latency/latency-histogram';
import type { BenchResults, ErrorClassResults, TemplateResults } from './bench-results';
import { mergeTimelines } from './run-timeline';

interface HistogramTriple {
  readonly responseTime: LatencyHistogram;
  readonly serviceTime: LatencyHistogram;
  readonly scheduleLag: LatencyHistogram;
}

function decodeTriple(h: BenchResults['histograms']): HistogramTriple {
  return {
    responseTime: LatencyHistogram.decode(h.responseTime),
    serviceTime: LatencyHistogram.decode(h.serviceTime),
    scheduleLag: LatencyHistogram.decode(h.scheduleLag),
  };
}

function addTriple(into: HistogramTriple, h: BenchResults['histograms']): void {
  const other = decodeTriple(h);
  into.responseTime.add(other.responseTime);
  into.serviceTime.add(other.serviceTime);
  into.scheduleLag.add(other.scheduleLag);
}

type Latencies = Pick<BenchResults, 'responseTime' | 'serviceTime' | 'scheduleLag'>;

/**
 * Summaries of merged histograms. A histogram read back from its encoded form knows its maximum
 * only to its bucket's precision; the runs' own maxima are exact, so the merged maximum is theirs.
 */
function summarize(t: HistogramTriple, parts: readonly Latencies[]) {
  const exactMax = (latency: keyof Latencies, summary: LatencySummary): LatencySummary => ({ ...summary, max: Math.max(...parts.map((p) => p[latency].max)) });
  return {
    latency: {
      responseTime: exactMax('responseTime', t.responseTime.summary()),
      serviceTime: exactMax('serviceTime', t.serviceTime.summary()),
      scheduleLag: exactMax('scheduleLag', t.scheduleLag.summary()),
    },
    histograms: { responseTime: t.responseTime.encode(), serviceTime: t.serviceTime.encode(), scheduleLag: t.scheduleLag.encode() },
  };
}

/**
 * One result from runs that went at the same time against the same target — the threads of one
 * `stb bench --threads N`, or load generators on several machines: operations, errors and drops
 * add up; latencies merge exactly through the HDR histograms every result carries (overall and per
 * template), so the merged p99 is the p99 of all operations, not an average of p99s; throughput is
 * the operations over the longest run's measured time; connections add up; the event-loop delay
 * is the worst generator's.
 */
export function mergeResults(parts: readonly BenchResults[]): BenchResults {
  const first = parts[0];
  if (first === undefined) throw new StbError('E_USAGE', 'nothing to merge: no results given');
  const modes = new Set(parts.map((p) => p.mode));
  if (modes.size > 1)
    throw new StbError('E_USAGE', `runs in different modes (${[...modes].join(', ')}) cannot be merged into one`, {
      hint: 'Compare them side by side with stb compare instead',
    });
  if (parts.length === 1) return first;

  const overall = decodeTriple(first.histograms);
  for (const p of parts.slice(1)) addTriple(overall, p.histograms);

  const templates = new Map<string, { example: string; operations: number; errors: number; h: HistogramTriple; parts: TemplateResults[] }>();
  for (const p of parts) {
    for (const t of p.templates) {
      const seen = templates.get(t.template);
      if (seen === undefined)
        templates.set(t.template, { example: t.example, operations: t.operations, errors: t.errors, h: decodeTriple(t.histograms), parts: [t] });
      else {
        seen.operations += t.operations;
        seen.errors += t.errors;
        seen.parts.push(t);
        addTriple(seen.h, t.histograms);
      }
    }
  }

  const errorClasses = new Map<string, { count: number; codes: Record<string, number>; examples: string[] }>();
  for (const p of parts) {
    for (const e of p.errorsByClass) {
      let merged = errorClasses.get(e.errorClass);
      if (merged === undefined) errorClasses.set(e.errorClass, (merged = { count: 0, codes: {}, examples: [] }));
      merged.count += e.count;
      for (const [code, n] of Object.entries(e.codes)) merged.codes[code] = (merged.codes[code] ?? 0) + n;
      for (const example of e.examples) if (merged.examples.length < 3 && !merged.examples.includes(example)) merged.examples.push(example);
    }
  }

  const sum = (f: (p: BenchResults) => number) => parts.reduce((n, p) => n + f(p), 0);
  const max = (f: (p: BenchResults) => number) => Math.max(...parts.map(f));
  const operations = sum((p) => p.operations);
  const errors = sum((p) => p.errors);
  const durationSeconds = max((p) => p.durationSeconds);
  const endedEarly = parts.find((p) => p.endedEarly !== undefined)?.endedEarly;
  const total = summarize(overall, parts);
  return {
    ...first,
    startedAt: parts.map((p) => p.startedAt).sort()[0]!,
    durationSeconds,
    operations,
    errors,
    dropped: sum((p) => p.dropped),
    throughput: operations / durationSeconds,
    goodput: (operations - errors) / durationSeconds,
    ...total.latency,
    errorsByClass: [...errorClasses]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([errorClass, e]): ErrorClassResults => ({ errorClass, count: e.count, codes: e.codes, examples: e.examples })),
    connections: {
      opened: sum((p) => p.connections.opened),
      lost: sum((p) => p.connections.lost),
      reopened: sum((p) => p.connections.reopened),
      peak: sum((p) => p.connections.peak),
    },
    ...(parts.some((p) => p.timeline !== undefined) ? { timeline: mergeTimelines(parts.map((p) => p.timeline))! } : {}),
    sessionsBehind: parts
      .flatMap((p) => p.sessionsBehind)
      .sort((a, b) => b.maxLagMs - a.maxLagMs)
      .slice(0, 10),
    eventLoopDelay: { p50: max((p) => p.eventLoopDelay.p50), p99: max((p) => p.eventLoopDelay.p99), max: max((p) => p.eventLoopDelay.max) },
    ...(endedEarly !== undefined ? { endedEarly } : {}),
    ...(parts.some((p) => p.interrupted) ? { interrupted: true } : {}),
    ...(parts.some((p) => p.rolledBack !== undefined)
      ? { rolledBack: { transactions: sum((p) => p.rolledBack?.transactions ?? 0), statementsSkipped: sum((p) => p.rolledBack?.statementsSkipped ?? 0) } }
      : {}),
    templates: [...templates]
      .sort((a, b) => b[1].operations - a[1].operations)
      .map(([template, t]): TemplateResults => {
        const s = summarize(t.h, t.parts);
        const protocols = new Set(t.parts.map((part) => part.protocol).filter((x) => x !== undefined));
        const protocol = protocols.size > 1 ? 'mixed' : [...protocols][0];
        return {
          template,
          example: t.example,
          operations: t.operations,
          errors: t.errors,
          ...(protocol !== undefined ? { protocol } : {}),
          ...s.latency,
          histograms: s.histograms,
        };
      }),
    histograms: total.histograms,
  };
}
