import { cutByEdges, edgeSlack, type Dialect, type ParamValue, type SlotType, type TraceEvent } from '@sqltrace/core';
import { compileTemplatePlan, expandPlan, Normalizer, type TemplatePlan } from '@sqltrace/parser';
import { CategoricalDistribution } from '../distributions/categorical-distribution';
import { EmpiricalDistribution } from '../distributions/empirical-distribution';
import { END } from '../markov/markov-chain';
import { REUSE_WINDOW, type TemplateModelJson, type WorkloadProfileJson } from '../model/workload-profile';
import { isSecretSlot } from '../params/sensitive-value';
import { SlotModelBuilder } from '../params/slot-model';
import { SessionEndBuilder } from '../sessions/session-end-model';
import { buildSessionPopulation, type SessionSpan } from '../sessions/session-population';
import { transactionRole, type TransactionRole } from '../sessions/transaction-role';
import { buildRateCurve } from '../timing/rate-curve';
import { ThinkTimeBuilder } from '../timing/think-time-model';

/** How a strategy learns template sequences: it sees each transition with the session's recent history. */
export interface SequenceLearner {
  /** How many of the most recent states `observe` receives. */
  readonly historyLength: number;
  /**
   * `next` followed `history` (oldest first) in a session; `next` is END when the session ended.
   * `step` says which session (numbered in order of first appearance) and how long the session
   * was idle before `next` (µs from the previous statement's end; −1 for a session's first
   * statement and for END).
   */
  observe(history: readonly number[], next: number, step: SequenceStep): void;
}

export interface SequenceStep {
  readonly session: number;
  readonly gapUs: number;
}

export interface WorkloadProfileOptions {
  readonly dialect: Dialect;
  /** A literal is published only if seen at least this many times (default 5). */
  readonly minValueCount?: number;
  readonly name?: string;
  /** The clock resolution of the trace's times, µs (default 1). */
  readonly resolutionUs?: number;
}

/**
 * Sessions whose first statement comes this soon after the trace's start also learn when to end
 * apart from the rest (the sessions open at the start end by that): many were open before the log
 * began (a pool), unlike the sessions that arrived while it ran.
 */
const EARLY_US = 1_000_000;

interface TemplateEntry {
  readonly id: string;
  readonly text: string;
  readonly kind: TemplateModelJson['kind'];
  readonly tables: TemplateModelJson['tables'];
  readonly slotTypes: readonly SlotType[];
  readonly plan: TemplatePlan;
  readonly slots: SlotModelBuilder[];
  readonly durations: EmpiricalDistribution;
  readonly role: TransactionRole;
  count: number;
  withParams: number;
  /** earlier template × REUSE_WINDOW + distance − 1 → { n: times seen there, hits: slot × 65536 + earlier slot → count } */
  readonly reuse: Map<number, { n: number; hits: Map<number, number> }>;
  /** slot (1-based, from 2) → its numeric value minus the slot before it: how often each difference came (undefined once too varied). */
  readonly offsets: Map<number, { pairs: number; differences: Map<number, number> | undefined }>;
}

/** Differences tracked per slot pair before it counts as unrelated. */
const MAX_DIFFERENCES = 16;
/** A slot is drawn as the slot before it plus a constant when that held this often (and at least 20 times). */
const OFFSET_SHARE = 0.9;

interface RecentStatement {
  readonly state: number;
  readonly values: Map<string, number> | undefined;
}

interface SessionState {
  /** Order of first appearance in the trace. */
  readonly ordinal: number;
  readonly first: number;
  readonly start: number;
  history: number[];
  length: number;
  lastState: number;
  lastEnd: number;
  /** The last statements' templates and value keys (key → first slot, 1-based), most recent first. */
  recent: RecentStatement[];
  inTransaction: boolean;
  transactionLength: number;
  /** The longest silence between two of its statements (µs). */
  maxGap: number;
  /** It began within the trace's first second: it learns when to end with the sessions open at the start. */
  readonly early: boolean;
}

/**
 * Learns the strategy-independent part of a workload model from a stream of trace events
 * (templates, parameter models, timing, session lengths), handing each transition to the
 * strategy's {@link SequenceLearner}. Memory: per template and per session, never per event.
 */
export class WorkloadProfileBuilder {
  readonly #options: Required<WorkloadProfileOptions>;
  readonly #learner: SequenceLearner;
  readonly #normalizer: Normalizer;
  readonly #templates: TemplateEntry[] = [];
  readonly #index = new Map<string, number>();
  readonly #sessions = new Map<string, SessionState>();
  readonly #thinkTime = new ThinkTimeBuilder();
  readonly #ends = new SessionEndBuilder();
  readonly #earlyEnds = new SessionEndBuilder();
  readonly #attributes = new CategoricalDistribution({ maxDistinct: 1_000 });
  #events = 0;
  #unaligned = 0;
  #outOfOrder = 0;
  #transitions = 0;
  #firstTs = Infinity;
  #lastTs = -Infinity;
  #lastEnd = -Infinity;
  #transactions = 0;
  #transactionStatements = 0;

  constructor(options: WorkloadProfileOptions, learner: SequenceLearner) {
    this.#options = { minValueCount: 5, name: 'trace', resolutionUs: 1, ...options };
    this.#learner = learner;
    this.#normalizer = new Normalizer({ dialect: options.dialect });
  }

  get events(): number {
    return this.#events;
  }

  add(event: TraceEvent): void {
    this.#events++;
    if (event.ts < this.#firstTs) this.#firstTs = event.ts;
    if (event.ts > this.#lastTs) this.#lastTs = event.ts;
    const n = this.#normalizer.normalize(event.sql, event.params);
    const id = event.templateId ?? n.template.id;
    let state = this.#index.get(id);
    if (state === undefined) {
      state = this.#templates.length;
      this.#index.set(id, state);
      this.#templates.push(
        this.#newTemplate(
          id,
          n.template.text,
          n.template.kind,
          n.template.tables,
          n.template.slots.map((s) => s.type),
        ),
      );
    }
    const t = this.#templates[state]!;
    t.count++;
    if (event.params !== undefined) t.withParams++;
    if (event.durationUs !== undefined) t.durations.add(event.durationUs);

    let session = this.#sessions.get(event.session);
    let gapUs = -1;
    if (session === undefined) {
      session = {
        ordinal: this.#sessions.size,
        first: event.ts,
        start: state,
        history: [],
        length: 0,
        lastState: -1,
        lastEnd: event.ts,
        recent: [],
        inTransaction: false,
        transactionLength: 0,
        maxGap: 0,
        early: event.ts - this.#firstTs <= Math.max(EARLY_US, this.#options.resolutionUs),
      };
      this.#sessions.set(event.session, session);
      this.#attributes.add(JSON.stringify([event.user ?? null, event.database ?? null, event.application ?? null]));
    } else {
      this.#ends.add(session.lastState, session.length, false);
      if (session.early) this.#earlyEnds.add(session.lastState, session.length, false);
      this.#transitions++;
      // Logs write a statement when it ends: end times never step back within a session in a log
      // read in order (start times may, by a duration, when timestamps have coarse resolution).
      if (event.ts + (event.durationUs ?? 0) < session.lastEnd - 1_000) this.#outOfOrder++;
      gapUs = Math.max(0, event.ts - session.lastEnd);
      if (gapUs > session.maxGap) session.maxGap = gapUs;
      this.#thinkTime.add(session.lastState, state, gapUs, { ordinal: session.ordinal, start: session.start });
    }
    this.#learner.observe(session.history, state, { session: session.ordinal, gapUs });

    // Parameters, when the statement's values line up with this template's slots.
    let values: Map<string, number> | undefined;
    if (n.template.text === t.text) {
      values = this.#learnValues(t, n.params, n.templateParams, session.recent);
    } else {
      this.#unaligned++;
    }

    session.length++;
    session.lastState = state;
    session.lastEnd = event.ts + (event.durationUs ?? 0);
    if (session.lastEnd > this.#lastEnd) this.#lastEnd = session.lastEnd;
    session.recent.unshift({ state, values });
    if (session.recent.length > REUSE_WINDOW) session.recent.pop();
    session.history.push(state);
    if (session.history.length > this.#learner.historyLength) session.history.shift();
    if (t.role === 'begin') {
      session.inTransaction = true;
      session.transactionLength = 1;
    } else if (session.inTransaction) {
      session.transactionLength++;
      if (t.role === 'end') {
        session.inTransaction = false;
        this.#transactions++;
        this.#transactionStatements += session.transactionLength;
      }
    }
  }

  #newTemplate(id: string, text: string, kind: TemplateModelJson['kind'], tables: TemplateModelJson['tables'], slotTypes: SlotType[]): TemplateEntry {
    const plan = compileTemplatePlan(text, this.#options.dialect);
    const secret = new Array<boolean>(plan.slots + 1).fill(false);
    let before = '';
    for (const part of plan.parts) {
      if (part.kind === 'text') before += part.text;
      else if (part.kind === 'slot' && isSecretSlot(before)) secret[part.slot] = true;
    }
    return {
      id,
      text,
      kind,
      tables,
      slotTypes,
      plan,
      slots: slotTypes.map((_, i) => new SlotModelBuilder(secret[i + 1])),
      durations: new EmpiricalDistribution({ capacity: 2_000, seed: `durations-${id}` }),
      role: transactionRole(text),
      count: 0,
      withParams: 0,
      reuse: new Map(),
      offsets: new Map(),
    };
  }

  /**
   * Adds a statement's values to its slot models, and counts each value found again in one of the
   * session's recent statements (the nearest); returns its value keys for the statements after it.
   */
  #learnValues(
    t: TemplateEntry,
    params: readonly ParamValue[],
    templateParams: readonly ParamValue[],
    recent: readonly RecentStatement[],
  ): Map<string, number> | undefined {
    const lengthOf = (slot: number) => Number(templateParams[slot - 1]);
    const refs = expandPlan(t.plan, lengthOf);
    if (refs.length !== params.length) {
      this.#unaligned++;
      return undefined;
    }
    for (let s = 0; s < t.slotTypes.length; s++) if (t.slotTypes[s] === 'list-length') t.slots[s]!.add(templateParams[s]!);
    const tables = recent.map((r, d) => {
      const key = r.state * REUSE_WINDOW + d;
      let table = t.reuse.get(key);
      if (table === undefined) t.reuse.set(key, (table = { n: 0, hits: new Map() }));
      table.n++;
      return table;
    });
    const values = new Map<string, number>();
    let previous: number | undefined; // the numeric value of the slot before, when it was one
    let previousSlot = 0;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      const value = params[i]!;
      const slot = t.slots[ref.slot - 1];
      if (slot === undefined) continue;
      if (ref.role === 'element') {
        slot.elements.add(value);
        continue;
      }
      slot.add(value);
      if (ref.role !== 'slot') continue;
      const number = numericValue(value);
      if (previous !== undefined && number !== undefined && ref.slot === previousSlot + 1) countOffset(t, ref.slot, number - previous);
      previous = number;
      previousSlot = ref.slot;
      const key = reuseKey(value);
      if (key === undefined) continue;
      if (!values.has(key)) values.set(key, ref.slot);
      for (let d = 0; d < recent.length; d++) {
        const from = recent[d]!.values?.get(key);
        if (from === undefined) continue;
        const hits = tables[d]!.hits;
        const hit = ref.slot * 65_536 + from;
        hits.set(hit, (hits.get(hit) ?? 0) + 1);
        break;
      }
    }
    return values;
  }

  /** Ends every session and returns the profile. */
  finish(): WorkloadProfileJson {
    const arrivals: number[] = [];
    const arrivalsStay: boolean[] = [];
    let open = 0;
    // A session the log's edges cut is censored: open before the log began, or still after it.
    const from = Number.isFinite(this.#firstTs) ? this.#firstTs : 0;
    const to = Math.max(this.#lastTs, this.#lastEnd, from);
    const slack = edgeSlack(from, to, this.#options.resolutionUs);
    const spans: SessionSpan[] = [];
    for (const session of this.#sessions.values()) {
      // A censored end is no end: the chain does not learn one there either.
      const { atStart: openAtStart, atEnd: openAtEnd } = cutByEdges(session, from, to, slack);
      if (!openAtEnd) {
        this.#learner.observe(session.history, END, { session: session.ordinal, gapUs: -1 });
        this.#ends.add(session.lastState, session.length, true);
        if (session.early) this.#earlyEnds.add(session.lastState, session.length, true);
      }
      spans.push({ first: session.first, lastEnd: session.lastEnd, openAtStart, openAtEnd });
      open += session.lastEnd - session.first;
    }
    const population = buildSessionPopulation(spans, from, to, this.#options.resolutionUs);
    // An arrival still open at the end that outlived every session that ended is one of a fixed
    // set of clients (a benchmark's, a pool's): a longer run does not see it arrive again.
    let longestEnded = 0;
    for (const s of spans) if (!s.openAtEnd) longestEnded = Math.max(longestEnded, s.lastEnd - s.first);
    for (const i of population.arrivals) {
      const s = spans[i]!;
      arrivals.push(s.first);
      arrivalsStay.push(s.openAtEnd && s.lastEnd - s.first > longestEnded);
    }
    const span = Math.max(1, this.#lastTs - this.#firstTs);
    const k = this.#options.minValueCount;
    const templates = this.#templates.map((t): TemplateModelJson => {
      const reuse: Record<string, number[]> = {};
      for (const [key, { n, hits }] of [...t.reuse].sort((a, b) => a[0] - b[0])) {
        const flat = [n];
        // A reuse seen once or twice is as likely a coincidence as a pattern.
        for (const [hit, count] of [...hits].sort((a, b) => a[0] - b[0])) if (count >= 3) flat.push(Math.floor(hit / 65_536), hit % 65_536, count);
        if (flat.length > 1) reuse[`${Math.floor(key / REUSE_WINDOW)}:${(key % REUSE_WINDOW) + 1}`] = flat;
      }
      const offsets: Record<string, [number, number]> = {};
      for (const [slot, { pairs, differences }] of [...t.offsets].sort((a, b) => a[0] - b[0])) {
        if (differences === undefined || pairs < 20) continue;
        let best = 0,
          count = 0;
        for (const [d, c] of differences) if (c > count) [best, count] = [d, c];
        if (count / pairs >= OFFSET_SHARE) offsets[slot] = [best, count / t.count];
      }
      return {
        id: t.id,
        text: t.text,
        kind: t.kind,
        ...(t.tables ? { tables: t.tables } : {}),
        slots: t.slotTypes,
        count: t.count,
        style: t.withParams * 2 >= t.count && t.slotTypes.length > 0 ? 'params' : 'inline',
        ...(t.durations.count > 0 ? { durations: t.durations.toJSON(101) } : {}),
        params: t.slots.map((s) => s.toJSON(k)),
        ...(Object.keys(reuse).length > 0 ? { reuse } : {}),
        ...(Object.keys(offsets).length > 0 ? { offsets } : {}),
      };
    });
    // A trace that opens transactions but never closes one still needs a way to close them.
    if (this.#templates.some((t) => t.role === 'begin') && !this.#templates.some((t) => t.role === 'end')) {
      templates.push({ id: 'commit', text: 'COMMIT', kind: 'tcl', slots: [], count: 0, style: 'inline', params: [] });
    }
    const attributes = this.#attributes.toJSON(1);
    return {
      dialect: this.#options.dialect,
      minValueCount: k,
      trace: {
        name: this.#options.name,
        events: this.#events,
        sessions: this.#sessions.size,
        firstTs: Number.isFinite(this.#firstTs) ? this.#firstTs : 0,
        lastTs: Number.isFinite(this.#lastTs) ? this.#lastTs : 0,
        meanConcurrency: open / span,
        resolutionUs: this.#options.resolutionUs,
        initialSessions: population.json.initialCount,
        censoredSessions: population.json.censoredAtEnd,
        unalignedEvents: this.#unaligned,
        outOfOrderEvents: this.#outOfOrder,
        transitions: this.#transitions,
      },
      templates,
      arrivals: buildRateCurve(arrivals, this.#firstTs, Math.max(this.#lastTs, this.#lastEnd), arrivalsStay),
      population: population.json,
      sessionEnds: this.#ends.toJSON(),
      earlySessionEnds: this.#earlyEnds.toJSON(),
      thinkTime: this.#thinkTime.toJSON(),
      transactionLength: this.#transactions > 0 ? this.#transactionStatements / this.#transactions : 0,
      sessionAttributes: attributes.values.map(
        ([key, count]) => [...(JSON.parse(String(key)) as [string | null, string | null, string | null]), count] as const,
      ),
    };
  }
}

/** A value as a number when it is an integer (bind parameters are text): the slot-offset model's. */
function numericValue(value: ParamValue): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && value.length > 0 && value.length < 16 && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function countOffset(t: TemplateEntry, slot: number, difference: number): void {
  let entry = t.offsets.get(slot);
  if (entry === undefined) t.offsets.set(slot, (entry = { pairs: 0, differences: new Map() }));
  entry.pairs++;
  const differences = entry.differences;
  if (differences === undefined) return;
  differences.set(difference, (differences.get(difference) ?? 0) + 1);
  if (differences.size > MAX_DIFFERENCES) entry.differences = undefined;
}

/**
 * The text of a value that can be reused (bind parameters are text, literals typed: 42 and '42'
 * match), or undefined for values too common to mean anything: NULL, booleans, numbers under 10.
 */
function reuseKey(value: ParamValue): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Math.abs(value) < 10 ? undefined : String(value);
  if (value.length === 0 || (value.length === 1 && value >= '0' && value <= '9')) return undefined;
  return value;
}
