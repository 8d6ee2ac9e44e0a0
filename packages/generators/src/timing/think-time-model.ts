import { Prng } from '@sqltrace/core';
import { EmpiricalDistribution, type EmpiricalDistributionJson } from '../distributions/empirical-distribution';

/**
 * Think time — from the end of one statement to the start of the next in the same session —
 * conditioned on the transition. A transition seen fewer than `minSamples` times uses its source
 * state's distribution, and a state seen too rarely the overall one.
 */
export interface ThinkTimeJson {
  readonly all: EmpiricalDistributionJson;
  /** By source state index. */
  readonly byState: Readonly<Record<string, EmpiricalDistributionJson>>;
  /** By `from>to` state indexes. */
  readonly byTransition: Readonly<Record<string, EmpiricalDistributionJson>>;
  /**
   * How think times go together within a session: for a sample of the trace's short sessions (at
   * most 64 think times), the rank (percentile, 0–99) of each think time in the distribution it is drawn from.
   * A pgbench -C client waits on its thread's other connections about twice a transaction, at
   * random places: drawn independently, some sessions waited never and some four times, and
   * session lifetimes spread 40% wider than the log's. Absent in models written before.
   */
  readonly sessionRanks?: readonly SessionThinkRanks[];
}

export interface SessionThinkRanks {
  /** The session's first template (state index): ranks are replayed in sessions that start alike. */
  readonly start: number;
  readonly ranks: readonly number[];
}

const MIN_SAMPLES = 30;
/** Sessions whose think-time ranks a model keeps, and the most think times a session may have to be kept (longer ones are not). */
const RANK_SESSIONS = 500;
const RANKS_PER_SESSION = 64;
/** Ranks are kept as percentiles: a replayed rank is drawn uniformly within its percentile. */
const RANK_BINS = 100;

/** One number per transition (states are template indexes, far below 2^20), the key of the maps below. */
function transitionKey(from: number, to: number): number {
  return from * 1_048_576 + to;
}

export class ThinkTimeBuilder {
  readonly #all = new EmpiricalDistribution({ capacity: 20_000, seed: 'think' });
  readonly #byState = new Map<number, EmpiricalDistribution>();
  readonly #byTransition = new Map<number, EmpiricalDistribution>();
  /**
   * A uniform sample of sessions (the smallest hash priorities: no per-session state beyond it),
   * each with its think times while it has no more than {@link RANKS_PER_SESSION}; a longer one
   * stays as a tombstone (`gaps` undefined) so that it is not sampled again.
   */
  readonly #pool = new Map<number, { priority: number; start: number; keys: number[]; gaps: number[] | undefined }>();
  #maxPriority = -1;

  /**
   * One think time, from the end of a `from` statement to the start of a `to` statement. With
   * `session` (its ordinal and first state), the think time also counts toward how think times
   * go together within a session.
   */
  add(from: number, to: number, us: number, session?: { ordinal: number; start: number }): void {
    if (session !== undefined) this.#remember(session.ordinal, session.start, transitionKey(from, to), us);
    this.#all.add(us);
    let s = this.#byState.get(from);
    if (s === undefined) this.#byState.set(from, (s = new EmpiricalDistribution({ capacity: 2_000, seed: `think-${from}` })));
    s.add(us);
    const key = transitionKey(from, to);
    let t = this.#byTransition.get(key);
    if (t === undefined) this.#byTransition.set(key, (t = new EmpiricalDistribution({ capacity: 500, seed: `think-${from}>${to}` })));
    t.add(us);
  }

  #remember(ordinal: number, start: number, key: number, us: number): void {
    let kept = this.#pool.get(ordinal);
    if (kept === undefined) {
      const priority = sessionPriority(ordinal);
      if (this.#pool.size >= RANK_SESSIONS) {
        // Bottom-k: a session enters only below the highest priority kept, which it evicts (the
        // highest only falls, so an evicted session never comes back).
        if (priority >= this.#maxPriority) return;
        for (const [o, s] of this.#pool)
          if (s.priority === this.#maxPriority) {
            this.#pool.delete(o);
            break;
          }
      }
      this.#pool.set(ordinal, (kept = { priority, start, keys: [], gaps: [] }));
      this.#maxPriority = 0;
      for (const s of this.#pool.values()) if (s.priority > this.#maxPriority) this.#maxPriority = s.priority;
    }
    if (kept.gaps === undefined) return;
    if (kept.gaps.length >= RANKS_PER_SESSION) {
      // A long session's first think times are its warm-up, not how its think times go together
      // (TPC-B's eight connections: think-time 0.15, FAIL): long sessions draw independently.
      kept.gaps = undefined;
      kept.keys.length = 0;
      return;
    }
    kept.keys.push(key);
    kept.gaps.push(us);
  }

  toJSON(): ThinkTimeJson {
    const byState: Record<string, EmpiricalDistributionJson> = {};
    for (const [k, d] of [...this.#byState].sort((a, b) => a[0] - b[0])) if (d.count >= MIN_SAMPLES) byState[k] = d.toJSON(101);
    const byTransition: Record<string, EmpiricalDistributionJson> = {};
    for (const [k, d] of [...this.#byTransition].sort((a, b) => a[0] - b[0]))
      if (d.count >= MIN_SAMPLES) byTransition[`${Math.floor(k / 1_048_576)}>${k % 1_048_576}`] = d.toJSON(51);
    const json: ThinkTimeJson = { all: this.#all.toJSON(201), byState, byTransition };
    const sessions = [...this.#pool.values()].filter((s): s is typeof s & { gaps: number[] } => s.gaps !== undefined && s.gaps.length > 0);
    if (sessions.length === 0) return json;
    // Each kept think time's rank among the kept think times drawn from the same distribution
    // (the empirical copula's pseudo-observations; ties in random order): uniform over the kept
    // sessions by construction, so the ranks move how a session's think times go together and
    // not their distribution. (Ranks in the whole trace's distribution carried the sample's own
    // error: 500 of pgbench -C's 1,003 sessions averaged the 53rd percentile at their first
    // think time, and every synthetic session that reused them waited 1.5 ms longer.)
    sessions.sort((a, b) => a.priority - b.priority);
    const sampler = new ThinkTimeSampler(json);
    const prng = new Prng('think-ranks');
    const groups = new Map<EmpiricalDistribution, { session: number; at: number; us: number; tie: number }[]>();
    sessions.forEach((s, session) =>
      s.gaps.forEach((us, at) => {
        const d = sampler.distribution(s.keys[at]!);
        let group = groups.get(d);
        if (group === undefined) groups.set(d, (group = []));
        group.push({ session, at, us, tie: prng.next() });
      }),
    );
    const ranks = sessions.map((s) => new Array<number>(s.gaps.length).fill(0));
    for (const group of groups.values()) {
      group.sort((a, b) => a.us - b.us || a.tie - b.tie);
      group.forEach((g, i) => (ranks[g.session]![g.at] = Math.min(RANK_BINS - 1, Math.floor(((i + 0.5) / group.length) * RANK_BINS))));
    }
    const sessionRanks = sessions.map((s, i) => ({ start: s.start, ranks: ranks[i]! }));
    return { ...json, sessionRanks };
  }
}

/** A session's place in the uniform sample of sessions: a hash of its ordinal in [0, 1). */
function sessionPriority(ordinal: number): number {
  let h = Math.imul(ordinal ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

export class ThinkTimeSampler {
  readonly #all: EmpiricalDistribution;
  readonly #byState = new Map<number, EmpiricalDistribution>();
  readonly #byTransition = new Map<number, EmpiricalDistribution>();
  readonly #sessions: readonly SessionThinkRanks[];
  readonly #byStart = new Map<number, number[]>();

  constructor(json: ThinkTimeJson) {
    if (json.sessionRanks !== undefined && !Array.isArray(json.sessionRanks)) throw new RangeError('think times: session ranks are not a list');
    this.#sessions = json.sessionRanks ?? [];
    this.#sessions.forEach((s, i) => {
      if (!Number.isInteger(s?.start) || !Array.isArray(s.ranks) || s.ranks.some((r) => !(Number.isInteger(r) && r >= 0 && r < RANK_BINS))) {
        throw new RangeError(`think times: session ranks ${i} are not a start state and percentiles 0–${RANK_BINS - 1}`);
      }
      const list = this.#byStart.get(s.start);
      if (list === undefined) this.#byStart.set(s.start, [i]);
      else list.push(i);
    });
    this.#all = EmpiricalDistribution.fromJSON(json.all);
    for (const [k, d] of Object.entries(json.byState)) this.#byState.set(Number(k), EmpiricalDistribution.fromJSON(d));
    for (const [k, d] of Object.entries(json.byTransition)) {
      const [from, to] = k.split('>').map(Number);
      if (!Number.isInteger(from) || !Number.isInteger(to)) throw new RangeError(`think times: "${k}" is not a transition`);
      this.#byTransition.set(transitionKey(from!, to!), EmpiricalDistribution.fromJSON(d));
    }
  }

  /** The distribution a `from>to` think time is drawn from (its key: {@link transitionKey}). */
  distribution(key: number): EmpiricalDistribution {
    return this.#byTransition.get(key) ?? this.#byState.get(Math.floor(key / 1_048_576)) ?? this.#all;
  }

  /**
   * The ranks a new session starting with `start` draws its think times at: those of a kept
   * session that started alike; undefined (independent draws) when none did.
   */
  session(start: number, prng: Prng): ThinkRankCursor | undefined {
    const alike = this.#byStart.get(start);
    return alike === undefined ? undefined : new ThinkRankCursor(this.#sessions[alike[Math.floor(prng.next() * alike.length)]!]!.ranks);
  }

  /** Think time in µs (0 when the trace had none to learn from), at the session's next rank when given. */
  sample(from: number, to: number, prng: Prng, ranks?: ThinkRankCursor): number {
    const d = this.distribution(transitionKey(from, to));
    const v = d.quantile(ranks !== undefined ? ranks.next(prng) : prng.next());
    return Number.isFinite(v) ? Math.max(0, v) : 0;
  }
}

/**
 * The ranks one synthetic session draws its think times at: a kept session's, in order, each
 * drawn uniformly within its percentile; past its end, independent draws.
 */
export class ThinkRankCursor {
  readonly #ranks: readonly number[];
  #at = 0;

  constructor(ranks: readonly number[]) {
    this.#ranks = ranks;
  }

  /** The next cumulative probability in [0, 1). */
  next(prng: Prng): number {
    return this.#at < this.#ranks.length ? (this.#ranks[this.#at++]! + prng.next()) / RANK_BINS : prng.next();
  }
}
