import { Prng, StbError, type TraceEvent } from '@sqltrace/core';
import type { RenderStyle } from '@sqltrace/parser';
import { REUSE_WINDOW, type WorkloadProfileJson } from '../model/workload-profile';
import { SessionEndSampler } from '../sessions/session-end-model';
import { ReconnectModel } from '../sessions/session-population';
import { ArrivalProcess } from '../timing/rate-curve';
import { ThinkTimeSampler, type ThinkRankCursor } from '../timing/think-time-model';

import type { ScoredHistory } from '../evaluation/next-template-scorer';
import { TemplateRenderer, type RecentValues } from './template-renderer';
import { asModelError } from '../model/damaged-model';

/** What a predictor keeps for one session between its calls (a recurrent network's state). */
export interface SessionMemory {
  state?: unknown;
}

/** How a strategy picks the next template: among the states `allowed` accepts, or undefined if none fits. */
export interface NextStatePredictor {
  /**
   * `history` holds the session's most recent states (oldest first) and `gaps`, beside it, the
   * idle time before each of them in µs (−1 before a session's first statement). `waiting`
   * lists, on demand, the histories the sessions waiting to run will ask about next — a
   * predictor that runs faster on a batch (a network) can predict them with this one. `memory`
   * is the session's own, the same object on every call for the session; each call after the
   * first adds one statement (the last of `history`).
   */
  next(
    history: readonly number[],
    prng: Prng,
    allowed: (state: number) => boolean,
    gaps: readonly number[],
    waiting?: () => Iterable<ScoredHistory>,
    memory?: SessionMemory,
  ): number | undefined;
  /** How many recent states it wants in `history`. */
  readonly historyLength: number;
}

export interface SynthesisOptions {
  readonly seed: string | number;
  /** Stop after this many events (default: as many as the training trace had). */
  readonly events?: number;
  /** Stop once this much synthetic time (seconds) has passed. */
  readonly durationSeconds?: number;
  /** Average number of concurrently open sessions (default: as in the trace). */
  readonly sessions?: number;
  /** Time compression: 2 = everything happens twice as fast (default 1). */
  readonly speed?: number;
  /** `auto` (default) writes each template as the trace carried it. */
  readonly style?: RenderStyle | 'auto';
  readonly signal?: AbortSignal;
  /** Hears what the caller should know about the trace being generated. */
  readonly onWarning?: (message: string) => void;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export interface SynthesisStats {
  events: number;
  sessions: number;
  /** Events emitted after the limit to close transactions that were open when it was reached. */
  closingEvents: number;
  /** Transactions closed with a COMMIT the model had to force (the chain never offered one). */
  forcedCommits: number;
}

interface ActiveSession {
  readonly id: string;
  readonly seq: number;
  /** Open when the synthetic trace begins (it ends by the sessions-open-at-the-start model). */
  readonly initial: boolean;
  readonly user: string | null;
  readonly database: string | null;
  readonly application: string | null;
  history: number[];
  /** Idle time before each state in `history` (µs; −1 at the session's start). */
  gaps: number[];
  state: number;
  /** Idle time before `state`. */
  gap: number;
  /** Statements run so far. */
  length: number;
  inTransaction: boolean;
  transactionSteps: number;
  at: number;
  /** The last statements (most recent first), for value reuse. */
  recent: RecentValues[];
  /** The predictor's own, for this session. */
  readonly memory: SessionMemory;
  /** The ranks its think times are drawn at, as a session of the trace's went (undefined: independent draws). */
  readonly thinkRanks: ThinkRankCursor | undefined;
}

const END_OF_TIME = Number.POSITIVE_INFINITY;
/** Sessions open at once that a synthesis may hold (each keeps its state in memory: ~1 KB). */
const MAX_SESSIONS = 1_000_000;

/**
 * Streams a synthetic trace from a workload profile and a next-template predictor: sessions
 * arrive along the trained rate curve, each with a length dealt from the trained lengths and a
 * template sequence from the predictor, statements timed by per-transition think times and
 * per-template durations, values drawn per slot. Memory is bounded by the number of open
 * sessions; the same seed gives the same events.
 */
export class WorkloadSynthesizer {
  readonly stats: SynthesisStats = { events: 0, sessions: 0, closingEvents: 0, forcedCommits: 0 };
  readonly #profile: WorkloadProfileJson;
  readonly #predictor: NextStatePredictor;
  readonly #options: SynthesisOptions;
  readonly #renderers: TemplateRenderer[];
  readonly #closing: number;
  readonly #transactionCap: number;

  constructor(profile: WorkloadProfileJson, predictor: NextStatePredictor, options: SynthesisOptions) {
    this.#profile = profile;
    this.#predictor = predictor;
    this.#options = options;
    for (const [name, value] of [
      ['events', options.events],
      ['duration', options.durationSeconds],
      ['sessions', options.sessions],
      ['speed', options.speed],
    ] as const) {
      if (value !== undefined && !(value > 0 && Number.isFinite(value))) throw new StbError('E_USAGE', `--${name} must be a positive number, got ${value}`);
    }
    if (options.sessions !== undefined && options.sessions > MAX_SESSIONS) {
      throw new StbError(
        'E_USAGE',
        `--sessions ${options.sessions}: at most ${MAX_SESSIONS.toLocaleString('en-US')} sessions can be open at once (each keeps its state in memory)`,
        {
          hint: 'Generate several traces with different --seed values and replay them side by side',
        },
      );
    }
    if (profile.trace.events === 0 || profile.templates.length === 0)
      throw new StbError('E_MODEL', 'the model learned no statements: nothing to generate from');
    // The samplers check the distributions, reuse tables and templates as they are built: a
    // damaged model is an E_MODEL error here, for every strategy.
    try {
      this.#renderers = profile.templates.map((t) => new TemplateRenderer(t, profile.dialect, options.style ?? 'auto'));
    } catch (error) {
      throw asModelError(error);
    }
    // The most frequent transaction end closes a transaction the predictor cannot.
    let closing = -1;
    this.#renderers.forEach((r, i) => {
      if (r.role === 'end' && (closing < 0 || profile.templates[i]!.count > profile.templates[closing]!.count)) closing = i;
    });
    this.#closing = closing;
    this.#transactionCap = Math.max(20, Math.ceil(4 * profile.transactionLength));
  }

  async *events(): AsyncGenerator<TraceEvent> {
    for (const batch of this.batches()) {
      for (const event of batch) yield event;
      if (this.#options.signal?.aborted) throw new StbError('E_USAGE', 'generation aborted');
    }
  }

  /**
   * Events in batches of up to 1,024 (the fast path for writers). A model whose data breaks a
   * sampler as it is built (a hand-edited or damaged file) is a clear E_MODEL error, not a crash
   * (found by fuzzing the model loader).
   */
  *batches(): Generator<TraceEvent[]> {
    try {
      yield* this.#batches();
    } catch (error) {
      throw asModelError(error);
    }
  }

  *#batches(): Generator<TraceEvent[]> {
    const profile = this.#profile;
    const prng = new Prng(this.#options.seed);
    const speed = this.#options.speed ?? 1;
    const limit = this.#options.events ?? (this.#options.durationSeconds === undefined ? profile.trace.events : Number.POSITIVE_INFINITY);
    const endAt = this.#options.durationSeconds !== undefined ? this.#options.durationSeconds * 1e6 : END_OF_TIME;
    const concurrency = profile.trace.meanConcurrency > 0 ? profile.trace.meanConcurrency : 1;
    const scale = this.#options.sessions !== undefined ? this.#options.sessions / concurrency : 1;
    const population = profile.population;
    // Arrivals of their own along the rate curve (none: an empty curve); with the population model
    // (absent in older model files) sessions open at the start and reconnects besides.
    const curve = profile.arrivals.counts.some((c) => c > 0) ? new ArrivalProcess(profile.arrivals, scale, speed, prng.fork('arrivals')) : undefined;
    const reconnectModel = population?.reconnect !== undefined ? new ReconnectModel(population.reconnect, speed) : undefined;
    const arrivalPrng = prng.fork('arrivals');
    const hasEnds = (json: typeof profile.sessionEnds | undefined) => json !== undefined && Object.keys(json.byState).length > 0;
    const ends = new SessionEndSampler(profile.sessionEnds);
    const earlyEnds = hasEnds(profile.earlySessionEnds) ? new SessionEndSampler(profile.earlySessionEnds!) : ends;
    // Sessions open at the start run their first statements when the original's did (scaled: the
    // offsets dealt out `scale` times over, fractions carried).
    const initialOffsets: number[] = [];
    if (population !== undefined && population.initialOffsets.length > 0) {
      const copies = (population.initialCount * scale) / population.initialOffsets.length;
      let carry = arrivalPrng.next();
      for (const offset of population.initialOffsets) {
        carry += copies;
        for (; carry >= 1; carry--) initialOffsets.push(offset / speed);
      }
    }
    // Fewer events than sessions open at the start: the earliest of them run one statement each.
    if (limit < initialOffsets.length) {
      this.#options.onWarning?.(
        `${int(limit)} events are fewer than the ${int(initialOffsets.length)} sessions open at the start of the trace${scale !== 1 ? ' (as scaled)' : ''}: only the first ${int(limit)} of them run, one statement each — ask for more events to see them all`,
      );
      initialOffsets.length = Math.max(0, Math.floor(limit));
    }
    if (curve === undefined && initialOffsets.length === 0 && limit > 0) {
      // No session would ever start: an empty trace written with exit 0 says nothing is wrong.
      throw new StbError('E_MODEL', 'the model has no session arrivals and no sessions open at the start: nothing to generate from', {
        hint: 'Retrain it with `stb train` on a trace with sessions',
      });
    }
    const think = new ThinkTimeSampler(profile.thinkTime);
    const attributes = profile.sessionAttributes.map((a) => a[3]);
    const origin = profile.trace.firstTs;
    const heap = new SessionHeap();
    // The first session opens the run, as the first session of the trace opened it.
    let nextArrival = curve === undefined ? END_OF_TIME : population === undefined ? 0 : curve.next();
    let seq = 0;
    let draining = false;
    let batch: TraceEvent[] = [];
    let inTransaction = 0; // of them, those inside a transaction
    const expectedRest = Math.max(1, profile.transactionLength / 2);
    // Sessions that clients open as one of theirs ends (closed loops), by time, latest first.
    const reconnects: number[] = [];
    const sessionEnded = (end: number) => {
      const next = draining ? undefined : reconnectModel?.after(end, arrivalPrng);
      if (next !== undefined) {
        let i = reconnects.length;
        while (i > 0 && reconnects[i - 1]! < next) i--;
        reconnects.splice(i, 0, next);
      }
    };
    const openSession = (at: number, initial: boolean) => {
      const state = this.#predictor.next([], prng, startAllowed, []) ?? this.#predictor.next([], prng, (s) => s >= 0, []);
      if (state === undefined) throw new StbError('E_MODEL', 'the model has no template a session can start with');
      const attribute = attributes.length > 0 ? profile.sessionAttributes[prng.weightedIndex(attributes)]! : [null, null, null];
      const id = seq++;
      heap.push({
        id: `s${id}`,
        seq: id,
        initial,
        user: attribute[0],
        database: attribute[1],
        application: attribute[2],
        history: [],
        gaps: [],
        state,
        gap: -1,
        length: 0,
        inTransaction: false,
        transactionSteps: 0,
        at,
        recent: [],
        memory: {},
        thinkRanks: think.session(state, prng),
      });
      this.stats.sessions++;
    };

    const waiting = () => nextHistories(heap, this.#predictor.historyLength);
    // First templates: the predictor's choice after an empty history, never a transaction end.
    const startAllowed = (s: number) => s >= 0 && this.#renderers[s]!.role !== 'end';
    for (const offset of initialOffsets) if (offset < endAt) openSession(offset, true);

    for (;;) {
      const top = heap.peek();
      const reconnect = reconnects.length > 0 ? reconnects[reconnects.length - 1]! : END_OF_TIME;
      const arrival = Math.min(nextArrival, reconnect);
      if (!draining && arrival <= (top?.at ?? END_OF_TIME) && arrival < endAt) {
        // A new session arrives.
        if (reconnect <= nextArrival) reconnects.pop();
        else nextArrival = curve?.next() ?? END_OF_TIME;
        openSession(arrival, false);
        continue;
      }
      if (top === undefined) break;
      heap.pop();
      // Stop in time: once the events written and those the open transactions still need reach
      // the limit, no session or transaction starts, and open transactions finish.
      if (!draining && (top.at >= endAt || this.stats.events + inTransaction * expectedRest >= limit)) draining = true;
      if (draining && !top.inTransaction) continue; // ends here: nothing open
      const renderer = this.#renderers[top.state]!;
      const drawn = renderer.draw(prng, top.recent);
      const event: TraceEvent = { ts: Math.round(origin + top.at), session: top.id, sql: drawn.sql };
      if (drawn.params !== undefined) event.params = drawn.params;
      if (drawn.durationUs !== undefined) event.durationUs = drawn.durationUs;
      if (top.user !== null) event.user = top.user;
      if (top.database !== null) event.database = top.database;
      if (top.application !== null) event.application = top.application;
      event.templateId = renderer.id;
      batch.push(event);
      this.stats.events++;
      if (draining) this.stats.closingEvents++;
      if (batch.length >= 1_024) {
        yield batch;
        batch = [];
      }
      top.length++;
      if (renderer.role === 'begin') {
        if (!top.inTransaction) inTransaction++;
        top.inTransaction = true;
        top.transactionSteps = 0;
      } else if (renderer.role === 'end') {
        if (top.inTransaction) inTransaction--;
        top.inTransaction = false;
      } else if (top.inTransaction) {
        top.transactionSteps++;
      }
      // The session ends where the trace's sessions ended (never inside a transaction), or with the run.
      if (!top.inTransaction && (draining || (top.initial ? earlyEnds : ends).ends(top.state, top.length, prng))) {
        sessionEnded(top.at + (drawn.durationUs ?? 0) / speed);
        continue;
      }
      top.history.push(top.state);
      top.gaps.push(top.gap);
      if (top.history.length > this.#predictor.historyLength) {
        top.history.shift();
        top.gaps.shift();
      }
      const next = this.#nextState(top, prng, waiting);
      if (next === undefined) {
        if (top.inTransaction) inTransaction--;
        sessionEnded(top.at + (drawn.durationUs ?? 0) / speed);
        continue;
      }
      top.recent.unshift({ state: top.state, values: drawn.values });
      if (top.recent.length > REUSE_WINDOW) top.recent.pop();
      const idle = think.sample(top.state, next, prng, top.thinkRanks);
      top.at += ((drawn.durationUs ?? 0) + idle) / speed;
      top.gap = idle;
      top.state = next;
      heap.push(top);
    }
    if (batch.length > 0) yield batch;
  }

  /** The next template, keeping transactions well formed; undefined ends the session. */
  #nextState(session: ActiveSession, prng: Prng, waiting: () => Iterable<ScoredHistory>): number | undefined {
    const renderers = this.#renderers;
    const inTransaction = session.inTransaction;
    // Far past a normal transaction's length: close it (the chain keeps missing its COMMIT).
    if (inTransaction && session.transactionSteps >= this.#transactionCap) return this.#forceClose();
    const allowed = (s: number) => {
      if (s < 0) return false; // END: the session-end model has decided the session goes on
      const role = renderers[s]!.role;
      return inTransaction ? role !== 'begin' : role !== 'end';
    };
    const next = this.#predictor.next(session.history, prng, allowed, session.gaps, waiting, session.memory);
    if (next === undefined && inTransaction) return this.#forceClose();
    return next;
  }

  #forceClose(): number {
    this.stats.forcedCommits++;
    return this.#closing;
  }
}

/** The history each waiting session will ask about next (its history plus its current statement), as far as the caller reads. */
function* nextHistories(heap: SessionHeap, limit: number): Generator<ScoredHistory> {
  for (const waiting of heap.items()) {
    const states = [...waiting.history, waiting.state];
    const gaps = [...waiting.gaps, waiting.gap];
    yield { states: states.slice(Math.max(0, states.length - limit)), gaps: gaps.slice(Math.max(0, gaps.length - limit)) };
  }
}

/** A binary min-heap of sessions by next event time, ties broken by arrival order (deterministic). */
class SessionHeap {
  readonly #items: ActiveSession[] = [];

  items(): readonly ActiveSession[] {
    return this.#items;
  }

  peek(): ActiveSession | undefined {
    return this.#items[0];
  }

  push(item: ActiveSession): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): ActiveSession | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: ActiveSession, b: ActiveSession): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
