import { clockTick, headerResolution, type TraceEvent, type TraceSource, type Validator } from '@sqltrace/core';
import { holm } from '../statistics/multiple-testing';
import type { ValidationObserver } from '../observers/validation-observer';
import { REPORT_SCHEMA, REPORT_VERSION, type FidelityReportJson, type TraceFacts } from '../report/fidelity-report';
import { coverage, templateMix } from './mix-properties';
import { parameters } from './parameter-property';
import { DEFAULT_THRESHOLDS, type PropertyName, type PropertyOutcome, type Thresholds } from './property';
import { repetition } from './repetition-property';
import { concurrency, sessionDuration } from './session-properties';
import { ngramCoverage, transitions } from './sequence-properties';
import { arrivalRate, sessionInterArrival, sessionLength, thinkTime } from './timing-properties';
import { TraceSummaryBuilder, type SummaryClock, type TraceSummary } from './trace-summary';

export interface ValidateOptions {
  readonly thresholds?: Thresholds;
  /** The overall score must be at least this for the report to pass (default 0: properties decide). */
  readonly failUnder?: number;
  /**
   * The clock resolution (µs) of traces given as events in memory, which have no header (files
   * say theirs in the header). Timing is compared on the coarser clock of the two.
   */
  readonly resolutionUs?: number;
  readonly signal?: AbortSignal;
}

/** What can be compared: a trace source (a file), or events in memory. */
export type TraceInput = TraceSource | readonly TraceEvent[];

const PROPERTIES: readonly [PropertyName, (o: TraceSummary, s: TraceSummary, threshold: number) => PropertyOutcome][] = [
  ['template-mix', templateMix],
  ['coverage', coverage],
  ['transitions', transitions],
  ['ngram-coverage', ngramCoverage],
  ['session-length', sessionLength],
  ['session-inter-arrival', sessionInterArrival],
  ['think-time', thinkTime],
  ['parameters', parameters],
  ['arrival-rate', arrivalRate],
  ['repetition', repetition],
  ['concurrency', concurrency],
  ['session-duration', sessionDuration],
];

/** Significance level for the noise guard on properties with a test. */
const ALPHA = 0.05;

/**
 * Compares an original and a synthetic trace property by property. Both stream through once,
 * with bounded memory (samples for distributions, counts per template and transition). Verdicts
 * rest on effect sizes against thresholds — a property fails when its effect exceeds the threshold
and, where it has a test, the Holm-corrected p-value is under 0.05. The score is the
 * mean over measured properties of max(0, 1 − effect / (2 × threshold)): 1 when identical, 0.5 at
 * the threshold.
 */
export class WorkloadValidator implements Validator {
  readonly #observers: ValidationObserver[] = [];
  readonly #options: ValidateOptions;

  constructor(options: ValidateOptions = {}) {
    this.#options = options;
  }

  subscribe(observer: ValidationObserver): () => void {
    this.#observers.push(observer);
    return () => {
      const i = this.#observers.indexOf(observer);
      if (i >= 0) this.#observers.splice(i, 1);
    };
  }

  async compare(original: TraceInput, synthetic: TraceInput, options: { signal?: AbortSignal } = {}): Promise<FidelityReportJson> {
    const signal = options.signal ?? this.#options.signal;
    // Times known to a coarse clock are compared on it: a trace learned from a millisecond log
    // is not failed for lacking the original's rounding.
    const [ro, rs] = await Promise.all([
      resolutionOf(original, signal, this.#options.resolutionUs),
      resolutionOf(synthetic, signal, this.#options.resolutionUs),
    ]);
    const resolutionUs = Math.max(ro, rs);
    const loggedAtEnd = resolutionUs > 1 && (await loggedAtEndOf(ro >= rs ? original : synthetic, resolutionUs, signal));
    const clock = { resolutionUs, loggedAtEnd };
    const [o, s] = await Promise.all([summarize(original, 'original', signal, clock), summarize(synthetic, 'synthetic', signal, clock)]);
    return this.compareSummaries(o, s);
  }

  /** The comparison of two summaries already gathered (see {@link TraceSummaryBuilder}). */
  compareSummaries(o: TraceSummary, s: TraceSummary): FidelityReportJson {
    const thresholds = { ...DEFAULT_THRESHOLDS, ...this.#options.thresholds };
    let properties = PROPERTIES.map(([name, measure]) => measure(o, s, thresholds[name]));
    // Holm over the properties that have a test.
    const tested = properties.filter((p) => p.pValue !== undefined);
    const adjusted = holm(tested.map((p) => p.pValue!));
    // A difference beyond the threshold fails unless its test says it could be sampling noise
    // (adjusted p ≥ 0.05): small traces are not failed for noise, large ones are judged on effect sizes.
    properties = properties.map((p) => {
      const i = tested.indexOf(p);
      if (i < 0) return p;
      const pAdjusted = adjusted[i]!;
      const passed = p.passed || pAdjusted >= ALPHA;
      return {
        ...p,
        pAdjusted,
        passed,
        ...(passed && !p.passed
          ? { note: 'beyond the threshold but not significant (adjusted p ≥ 0.05): too few observations to tell', passedAs: 'not-significant' as const }
          : {}),
      };
    });
    const measured = properties.filter((p) => p.skipped === undefined);
    const score = measured.length === 0 ? 1 : measured.reduce((sum, p) => sum + propertyScore(p), 0) / measured.length;
    const failed = properties.filter((p) => !p.passed).map((p) => p.property);
    const failUnder = this.#options.failUnder;
    const report: FidelityReportJson = {
      schema: REPORT_SCHEMA,
      version: REPORT_VERSION,
      original: facts(o),
      synthetic: facts(s),
      score,
      passed: failed.length === 0 && (failUnder === undefined || score >= failUnder),
      ...(failUnder !== undefined ? { failUnder } : {}),
      properties,
      failed,
      transitionMatrix: transitionMatrix(o, s),
    };
    for (const p of properties) {
      for (const observer of this.#observers) {
        observer.onProperty?.(p);
        if (!p.passed) observer.onPropertyFailed?.(p);
      }
    }
    for (const observer of this.#observers) observer.onReport?.(report);
    return report;
  }
}

function propertyScore(p: PropertyOutcome): number {
  if (p.threshold <= 0) return p.effectSize > 0 ? 0 : 1;
  return Math.max(0, 1 - p.effectSize / (2 * p.threshold));
}

async function summarize(input: TraceInput, role: string, signal: AbortSignal | undefined, clock: SummaryClock): Promise<TraceSummary> {
  const name = Array.isArray(input) ? `${role} (in memory)` : (input as TraceSource).name;
  const builder = new TraceSummaryBuilder(name, clock);
  if (Array.isArray(input)) {
    for (const event of input as readonly TraceEvent[]) builder.add(event);
  } else {
    for await (const event of (input as TraceSource).events({ signal })) builder.add(event);
  }
  return builder.finish();
}

/** A trace's clock resolution: its header's, or `given` for events in memory (default 1). */
async function resolutionOf(input: TraceInput, signal: AbortSignal | undefined, given: number | undefined): Promise<number> {
  if (Array.isArray(input)) return given ?? 1;
  return headerResolution(await (input as TraceSource).header?.({ signal }));
}

/**
 * Whether a coarse trace's times are its statements' ends (a log written as statements end):
 * its first events lie on the clock at start + duration, not at the start.
 */
async function loggedAtEndOf(input: TraceInput, resolutionUs: number, signal: AbortSignal | undefined): Promise<boolean> {
  let atEnd = 0,
    atStart = 0,
    seen = 0;
  const look = (e: TraceEvent) => {
    // (A duration of whole ticks puts start and end on the clock alike: it tells nothing.)
    if (e.durationUs === undefined || e.durationUs % resolutionUs === 0) return;
    const at = clockTick(e, resolutionUs);
    if (at === undefined) return;
    if (at.atEnd) atEnd++;
    else atStart++;
  };
  if (Array.isArray(input)) {
    for (const e of input as readonly TraceEvent[]) if ((look(e), ++seen) >= 1_000) break;
  } else {
    for await (const e of (input as TraceSource).events({ signal })) if ((look(e), ++seen) >= 1_000) break;
  }
  return atEnd > atStart;
}

function facts(t: TraceSummary): TraceFacts {
  return { name: t.name, events: t.events, sessions: t.sessions, templates: t.templates.size, templateIds: t.hasTemplateIds };
}

/** The 12 most frequent templates of the original: next-state shares among them (plus end) on both sides. */
function transitionMatrix(o: TraceSummary, s: TraceSummary): FidelityReportJson['transitionMatrix'] {
  const states = [...o.templates.values()].sort((a, b) => b.count - a.count).slice(0, 12);
  const keys = [...states.map((t) => t.key), '$end'];
  const matrix = (t: TraceSummary) =>
    states.map((from) => {
      const row = t.transitions.get(from.key);
      let total = 0;
      for (const v of row?.values() ?? []) total += v;
      return keys.map((to) => (total > 0 ? (row!.get(to) ?? 0) / total : 0));
    });
  return {
    states: [...states.map((t) => ({ key: t.key, example: t.example })), { key: '$end', example: '(session ends)' }],
    original: matrix(o),
    synthetic: matrix(s),
  };
}
