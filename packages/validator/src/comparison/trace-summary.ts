import { StbError, type ParamValue, type TraceEvent } from '@sqltrace/core';
import { BloomFilter } from './bloom-filter';
import { Reservoir } from './reservoir';
import type { SessionSpanSample } from './session-spans';

/** Per template: how often, in how many sessions, an example, and samples of its parameters. */
export interface TemplateSummary {
  readonly key: string;
  count: number;
  sessions: number;
  readonly example: string;
  /** Number of parameters per execution (IN-list and VALUES lengths show here). */
  readonly paramCounts: Reservoir;
  /** Per parameter position (the first 8): numbers, or strings as they are. */
  readonly positions: PositionSample[];
}

export interface PositionSample {
  readonly numbers: Reservoir;
  readonly strings: Map<string, number>;
  readonly stringLengths: Reservoir;
  stringCount: number;
  nulls: number;
}

/** Everything the comparison needs from one trace, gathered in one pass with bounded memory. */
export interface TraceSummary {
  readonly name: string;
  readonly events: number;
  readonly sessions: number;
  readonly templates: Map<string, TemplateSummary>;
  /** from → to → count; `$end` closes each session. */
  readonly transitions: Map<string, Map<string, number>>;
  readonly trigrams: Map<string, number>;
  readonly sessionLengths: number[];
  readonly interArrivals: number[];
  readonly thinkTimes: readonly number[];
  /** A sample of event times, µs. */
  readonly eventTimes: readonly number[];
  /** Share of events whose exact statement (template and values) occurred before. */
  readonly repetitionRate: number;
  /** Whether events carried template ids (otherwise the SQL text is the template). */
  readonly hasTemplateIds: boolean;
  /** The clock the times were compared on (µs; 1 unless a trace's times were coarser). */
  readonly resolutionUs: number;
  /** Every session's span, for the concurrency and lifetime properties. */
  readonly spans: readonly SessionSpanSample[];
  /** The trace's first start and last end (µs). */
  readonly from: number;
  readonly to: number;
  /**
   * When 99% of its statements had started (µs): the end of its body. The last 1% is where a log
   * was cut or a synthesis stopped (transactions finishing after the event budget was reached).
   */
  readonly lastStart: number;
}

/** How a summary reads times. */
export interface SummaryClock {
  /**
   * Compare on a clock of this resolution (µs): each event's logged time is cut down to its
   * tick, as a log of that resolution would have printed it (default 1: as they are).
   */
  readonly resolutionUs?: number;
  /** The coarse trace logged statements as they ended (its start times are end − duration). */
  readonly loggedAtEnd?: boolean;
}

const SAMPLE = 100_000;
const PARAM_SAMPLE = 500;
const POSITIONS = 8;
const MAX_STRINGS = 500;
const MAX_TRIGRAMS = 200_000;

interface OpenSession {
  /** Its earliest statement start (a log written as statements end lists them by end). */
  first: number;
  length: number;
  last: string;
  beforeLast: string;
  lastEnd: number;
  /** The latest end of any of its statements (a log written as statements end lists them by end). */
  spanEnd: number;
  maxGap: number;
  readonly templates: Set<string>;
}

/** The time by which 99% of the (sampled) statements had started. */
function bodyEnd(times: readonly number[], last: number): number {
  if (times.length < 100) return last;
  const sorted = Float64Array.from(times).sort();
  return sorted[Math.floor(sorted.length * 0.99)]!;
}

/** Streams a trace into a {@link TraceSummary}. */
export class TraceSummaryBuilder {
  readonly #name: string;
  readonly #templates = new Map<string, TemplateSummary>();
  readonly #transitions = new Map<string, Map<string, number>>();
  readonly #trigrams = new Map<string, number>();
  readonly #sessions = new Map<string, OpenSession>();
  readonly #think = new Reservoir(SAMPLE, 'think');
  readonly #times = new Reservoir(SAMPLE, 'times');
  readonly #seen = new BloomFilter();
  readonly #resolution: number;
  readonly #atEnd: boolean;
  #events = 0;
  #repeated = 0;
  #withIds = 0;
  #from = Infinity;
  #to = -Infinity;
  #lastStart = -Infinity;

  constructor(name: string, clock: SummaryClock = {}) {
    this.#name = name;
    this.#resolution = clock.resolutionUs ?? 1;
    this.#atEnd = clock.loggedAtEnd ?? false;
  }

  add(event: TraceEvent): void {
    this.#events++;
    const duration = event.durationUs ?? 0;
    let ts = event.ts;
    if (this.#resolution > 1) {
      // The time this trace would have had on the coarser clock.
      const r = this.#resolution;
      ts = this.#atEnd ? Math.floor((ts + duration) / r) * r - duration : Math.floor(ts / r) * r;
    }
    if (ts < this.#from) this.#from = ts;
    if (ts + duration > this.#to) this.#to = ts + duration;
    if (ts > this.#lastStart) this.#lastStart = ts;
    if (event.templateId !== undefined) this.#withIds++;
    const key = event.templateId ?? event.sql;
    let t = this.#templates.get(key);
    if (t === undefined) {
      t = {
        key,
        count: 0,
        sessions: 0,
        example: event.sql.length > 300 ? event.sql.slice(0, 299) + '…' : event.sql,
        paramCounts: new Reservoir(PARAM_SAMPLE, `n-${key}`),
        positions: [],
      };
      this.#templates.set(key, t);
    }
    t.count++;
    this.#learnParams(t, event.params);
    if (this.#seen.testAndAdd(key + '\u0000' + (event.params === undefined ? '' : JSON.stringify(event.params)))) this.#repeated++;
    this.#times.add(ts);

    let s = this.#sessions.get(event.session);
    if (s === undefined) {
      s = { first: ts, length: 0, last: '', beforeLast: '', lastEnd: ts, spanEnd: ts, maxGap: 0, templates: new Set() };
      this.#sessions.set(event.session, s);
    } else {
      const gap = Math.max(0, ts - s.lastEnd);
      if (gap > s.maxGap) s.maxGap = gap;
      this.#think.add(gap);
      this.#count(s.last, key);
      if (s.beforeLast !== '' && (this.#trigrams.size < MAX_TRIGRAMS || this.#trigrams.has(`${s.beforeLast}>${s.last}>${key}`))) {
        const tri = `${s.beforeLast}>${s.last}>${key}`;
        this.#trigrams.set(tri, (this.#trigrams.get(tri) ?? 0) + 1);
      }
    }
    if (!s.templates.has(key)) {
      s.templates.add(key);
      t.sessions++;
    }
    s.length++;
    s.beforeLast = s.last;
    s.last = key;
    s.lastEnd = ts + duration;
    if (s.lastEnd > s.spanEnd) s.spanEnd = s.lastEnd;
    if (ts < s.first) s.first = ts;
  }

  #count(from: string, to: string): void {
    let row = this.#transitions.get(from);
    if (row === undefined) this.#transitions.set(from, (row = new Map()));
    row.set(to, (row.get(to) ?? 0) + 1);
  }

  #learnParams(t: TemplateSummary, params: readonly ParamValue[] | undefined): void {
    const values = params ?? [];
    t.paramCounts.add(values.length);
    for (let p = 0; p < Math.min(values.length, POSITIONS); p++) {
      let position = t.positions[p];
      if (position === undefined) {
        position = {
          numbers: new Reservoir(PARAM_SAMPLE, `p${p}-${t.key}`),
          strings: new Map(),
          stringLengths: new Reservoir(PARAM_SAMPLE, `l${p}-${t.key}`),
          stringCount: 0,
          nulls: 0,
        };
        t.positions[p] = position;
      }
      const v = values[p];
      if (v === null || v === undefined) position.nulls++;
      else if (typeof v === 'number') position.numbers.add(v);
      else if (typeof v === 'boolean') position.numbers.add(v ? 1 : 0);
      else if (/^-?\d+(\.\d+)?$/.test(v) && v.length < 16) position.numbers.add(Number(v));
      else {
        position.stringCount++;
        position.stringLengths.add(v.length);
        if (position.strings.size < MAX_STRINGS || position.strings.has(v)) position.strings.set(v, (position.strings.get(v) ?? 0) + 1);
      }
    }
  }

  finish(): TraceSummary {
    if (this.#events === 0)
      throw new StbError('E_INPUT', `${this.#name}: the trace has no events — there is nothing to compare`, {
        hint: 'Check that the file is the trace you meant (stb parse or stb generate output)',
      });
    const sessionLengths: number[] = [];
    const starts: number[] = [];
    const spans: SessionSpanSample[] = [];
    for (const s of this.#sessions.values()) {
      this.#count(s.last, '$end');
      sessionLengths.push(s.length);
      starts.push(s.first);
      spans.push({ first: s.first, lastEnd: s.spanEnd, maxGap: s.maxGap });
    }
    starts.sort((a, b) => a - b);
    const interArrivals: number[] = [];
    for (let i = 1; i < starts.length; i++) interArrivals.push(starts[i]! - starts[i - 1]!);
    return {
      name: this.#name,
      events: this.#events,
      sessions: this.#sessions.size,
      templates: this.#templates,
      transitions: this.#transitions,
      trigrams: this.#trigrams,
      sessionLengths,
      interArrivals,
      thinkTimes: this.#think.values,
      eventTimes: this.#times.values,
      repetitionRate: this.#repeated / this.#events,
      hasTemplateIds: this.#withIds === this.#events,
      resolutionUs: this.#resolution,
      spans,
      from: this.#from,
      to: Math.max(this.#to, this.#from),
      lastStart: Math.max(bodyEnd(this.#times.values, this.#lastStart), this.#from),
    };
  }
}
