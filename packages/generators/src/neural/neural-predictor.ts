import type { Prng } from '@sqltrace/core';
import type { ScoredHistory, NextTemplateScorer } from '../evaluation/next-template-scorer';
import type { NextStatePredictor, SessionMemory } from '../synthesis/workload-synthesizer';
import { gapBucket, startBucket } from './gap-bucket';
import type { ProbabilityNetwork } from './lstm-forward';
import { rowLength, sessionContext } from './network-spec';
import type { SessionNetwork, SessionReader } from './session-network';

const CACHE_LIMIT = 100_000;
/** Windows predicted in one run of the network when sessions are waiting. */
const BATCH = 256;

export interface PredictorOptions {
  /** 1 = as learned; lower favours the likeliest template. */
  readonly temperature?: number;
  /**
   * Templates the network gives less than this are not drawn (unless nothing else is allowed):
   * a softmax never says "never", a count table does.
   */
  readonly minProbability?: number;
  /** Sessions that began with each template: a session's first statement is drawn from these. */
  readonly starts: readonly number[];
  /** For each template, those seen after it: draws keep to them when any is allowed. */
  readonly successors: readonly (readonly number[])[];
  /** Factors of each successor's probability, aligned with `successors` (see calibrateTransitions). */
  readonly calibration?: readonly (readonly number[])[];
}

/**
 * Draws next templates from a network's predictions with a temperature (1 = as learned, lower
 * = more often the likeliest), from the project's seeded PRNG. A network in `session` context
 * carries each session's recurrent state in the session's memory and takes one step per
 * statement. A window network's predictions are cached by window (workloads repeat themselves):
 * it runs once per distinct history.
 */
export class NeuralPredictor implements NextStatePredictor, NextTemplateScorer {
  readonly historyLength: number;
  readonly #network: ProbabilityNetwork;
  readonly #exponent: number;
  readonly #cache = new Map<string, Float32Array>();
  readonly #templates: number;
  #weights: Float64Array;
  /** The network that steps through sessions (session context), or undefined. */
  readonly #stepper: SessionNetwork | undefined;
  readonly #stepped: Float32Array;
  /** The idle bucket the network is given for an idle time (µs, −1 at a session's start). */
  readonly #bucket: (gapUs: number) => number;

  readonly #floor: number;
  readonly #starts: Float32Array;
  /** successors[prev × templates + next] = 1 when next followed prev in training. */
  readonly #successors: Uint8Array;
  /** Per template: whether anything ever followed it in a session of the training trace. */
  readonly #followed: Uint8Array;
  /** factors[prev × templates + next]: the calibration of a successor's probability (1 elsewhere). */
  readonly #factors: Float32Array | undefined;

  constructor(
    network: ProbabilityNetwork,
    readonly templateIds: readonly string[],
    options: PredictorOptions,
  ) {
    const { temperature = 1, minProbability = 1e-6, starts } = options;
    this.#network = network;
    this.#floor = minProbability;
    const total = starts.reduce((a, b) => a + b, 0);
    this.#starts = Float32Array.from(starts, (c) => c / total);
    const templates = network.spec.templates;
    this.#successors = new Uint8Array(templates * templates);
    options.successors.forEach((list, prev) => list.forEach((next) => (this.#successors[prev * templates + next] = 1)));
    this.#followed = new Uint8Array(templates);
    options.successors.forEach((list, prev) => (this.#followed[prev] = list.length > 0 ? 1 : 0));
    const calibration = options.calibration;
    if (calibration !== undefined) {
      const factors = (this.#factors = new Float32Array(templates * templates).fill(1));
      options.successors.forEach((list, prev) => list.forEach((next, k) => (factors[prev * templates + next] = calibration[prev]?.[k] ?? 1)));
    }
    this.#stepper = sessionContext(network.spec) && 'session' in network ? (network as SessionNetwork) : undefined;
    this.#stepped = new Float32Array(network.spec.templates);
    this.#bucket = network.spec.idleInput === false ? startBucket : gapBucket;
    // A session network, asked without a session's memory (scoring), reads what it was trained on at once.
    this.historyLength = rowLength(network.spec);
    this.#exponent = 1 / temperature;
    this.#templates = network.spec.templates;
    this.#weights = new Float64Array(this.#templates);
  }

  next(
    history: readonly number[],
    prng: Prng,
    allowed: (state: number) => boolean,
    gaps: readonly number[],
    waiting?: () => Iterable<ScoredHistory>,
    memory?: SessionMemory,
  ): number | undefined {
    const start = history.length === 0;
    const p = start
      ? this.#starts
      : memory !== undefined && this.#stepper !== undefined
        ? this.#step(history, gaps, memory)
        : this.#predict(history, gaps, waiting);
    const weights = this.#weights;
    const previous = history[history.length - 1]!;
    // The previous template's row of the successor and calibration tables (−1: none), read in
    // place: this runs once per generated event.
    const row = !start && previous >= 0 ? previous * this.#templates : -1;
    // A template nothing ever followed (a session's last statement, always) ends the session, as
    // the Markov chain's END does: the network's guess at what would follow it is a guess about
    // what the trace never showed (pgbench -C sessions went on after END with stray INSERTs:
    // template-mix 0.06).
    if (row >= 0 && this.#followed[previous] === 0) return undefined;
    const seen = this.#successors;
    const factors = row >= 0 ? this.#factors : undefined;
    let total = 0;
    // First among the templates seen after the previous one and above the floor; then any allowed.
    for (let pass = 0; pass < 2 && !(total > 0); pass++) {
      const strict = pass === 0 && !start;
      for (let s = 0; s < this.#templates; s++) {
        let w =
          allowed(s) && (!strict || (p[s]! >= this.#floor && (row < 0 || seen[row + s] === 1)))
            ? this.#exponent === 1
              ? p[s]!
              : Math.pow(p[s]!, this.#exponent)
            : 0;
        if (factors !== undefined && w > 0) w *= factors[row + s]!;
        weights[s] = w;
        total += w;
      }
    }
    if (!(total > 0)) return undefined;
    let r = prng.next() * total;
    for (let s = 0; s < this.#templates; s++) {
      r -= weights[s]!;
      if (r < 0 && weights[s]! > 0) return s;
    }
    for (let s = this.#templates - 1; s >= 0; s--) if (weights[s]! > 0) return s;
    return undefined;
  }

  score(histories: readonly ScoredHistory[]): Float32Array[] {
    const window = this.historyLength;
    const width = this.#templates;
    const size = histories.length;
    const tokens = new Int32Array(size * window);
    const gaps = new Int32Array(size * window);
    histories.forEach((h, b) => this.#encode(h.states, h.gaps, tokens, gaps, b * window));
    const p = this.#network.probabilities(tokens, gaps, size);
    return histories.map((_, b) => p.subarray(b * width, (b + 1) * width));
  }

  dispose(): void {
    this.#network.dispose();
    this.#cache.clear();
  }

  /** One step of the session's state (recurrent, or keys and values) with its latest statement. */
  #step(history: readonly number[], gaps: readonly number[], memory: SessionMemory): Float32Array {
    const state = (memory.state ??= this.#stepper!.session()) as SessionReader;
    const last = history[history.length - 1]!;
    const token = last >= 0 && last < this.#templates ? last : this.#templates + 1;
    state.read(token, this.#bucket(gaps[gaps.length - 1] ?? -1), this.#stepped);
    return this.#stepped;
  }

  #window(history: readonly number[], gaps: readonly number[]): { tokens: Int32Array; buckets: Int32Array; key: string } {
    const window = this.historyLength;
    const tokens = new Int32Array(window);
    const buckets = new Int32Array(window);
    this.#encode(history, gaps, tokens, buckets, 0);
    let key = '';
    for (let i = 0; i < window; i++) key += `${tokens[i]}.${buckets[i]},`;
    return { tokens, buckets, key };
  }

  /**
   * The cached prediction for this window; on a miss the network runs once for it and for the
   * windows of waiting sessions not yet predicted (most of them will ask soon).
   */
  #predict(history: readonly number[], gaps: readonly number[], waiting?: () => Iterable<ScoredHistory>): Float32Array {
    const first = this.#window(history, gaps);
    const cached = this.#cache.get(first.key);
    if (cached !== undefined) return cached;
    const batch = new Map([[first.key, first]]);
    for (const h of waiting?.() ?? []) {
      if (batch.size >= BATCH) break;
      const w = this.#window(h.states, h.gaps);
      if (!this.#cache.has(w.key)) batch.set(w.key, w);
    }
    const window = this.historyLength;
    const tokens = new Int32Array(batch.size * window);
    const buckets = new Int32Array(batch.size * window);
    let b = 0;
    for (const w of batch.values()) {
      tokens.set(w.tokens, b * window);
      buckets.set(w.buckets, b * window);
      b++;
    }
    const p = this.#network.probabilities(tokens, buckets, batch.size);
    if (this.#cache.size + batch.size > CACHE_LIMIT) this.#cache.clear();
    b = 0;
    for (const key of batch.keys()) {
      this.#cache.set(key, p.subarray(b * this.#templates, (b + 1) * this.#templates));
      b++;
    }
    return this.#cache.get(first.key)!;
  }

  /** Writes a history into a window: left-padded, unknown templates as PAD. */
  #encode(states: readonly number[], gapsUs: readonly number[], tokens: Int32Array, gaps: Int32Array, at: number): void {
    const window = this.historyLength;
    const pad = this.#templates + 1;
    const from = Math.max(0, states.length - window);
    const offset = window - (states.length - from);
    for (let i = 0; i < window; i++) {
      tokens[at + i] = pad;
      gaps[at + i] = 0;
    }
    for (let i = from; i < states.length; i++) {
      const s = states[i]!;
      tokens[at + offset + i - from] = s >= 0 && s < this.#templates ? s : pad;
      gaps[at + offset + i - from] = this.#bucket(gapsUs[i] ?? -1);
    }
  }
}
