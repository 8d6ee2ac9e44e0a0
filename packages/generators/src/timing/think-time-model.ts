import type { Prng } from '@sqltrace/core';
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
}

const MIN_SAMPLES = 30;

/** One number per transition (states are template indexes, far below 2^20), the key of the maps below. */
function transitionKey(from: number, to: number): number {
  return from * 1_048_576 + to;
}

export class ThinkTimeBuilder {
  readonly #all = new EmpiricalDistribution({ capacity: 20_000, seed: 'think' });
  readonly #byState = new Map<number, EmpiricalDistribution>();
  readonly #byTransition = new Map<number, EmpiricalDistribution>();

  add(from: number, to: number, us: number): void {
    this.#all.add(us);
    let s = this.#byState.get(from);
    if (s === undefined) this.#byState.set(from, (s = new EmpiricalDistribution({ capacity: 2_000, seed: `think-${from}` })));
    s.add(us);
    const key = transitionKey(from, to);
    let t = this.#byTransition.get(key);
    if (t === undefined) this.#byTransition.set(key, (t = new EmpiricalDistribution({ capacity: 500, seed: `think-${from}>${to}` })));
    t.add(us);
  }

  toJSON(): ThinkTimeJson {
    const byState: Record<string, EmpiricalDistributionJson> = {};
    for (const [k, d] of [...this.#byState].sort((a, b) => a[0] - b[0])) if (d.count >= MIN_SAMPLES) byState[k] = d.toJSON(101);
    const byTransition: Record<string, EmpiricalDistributionJson> = {};
    for (const [k, d] of [...this.#byTransition].sort((a, b) => a[0] - b[0])) if (d.count >= MIN_SAMPLES) byTransition[`${Math.floor(k / 1_048_576)}>${k % 1_048_576}`] = d.toJSON(51);
    return { all: this.#all.toJSON(201), byState, byTransition };
  }
}

export class ThinkTimeSampler {
  readonly #all: EmpiricalDistribution;
  readonly #byState = new Map<number, EmpiricalDistribution>();
  readonly #byTransition = new Map<number, EmpiricalDistribution>();

  constructor(json: ThinkTimeJson) {
    this.#all = EmpiricalDistribution.fromJSON(json.all);
    for (const [k, d] of Object.entries(json.byState)) this.#byState.set(Number(k), EmpiricalDistribution.fromJSON(d));
    for (const [k, d] of Object.entries(json.byTransition)) {
      const [from, to] = k.split('>').map(Number);
      if (!Number.isInteger(from) || !Number.isInteger(to)) throw new RangeError(`think times: "${k}" is not a transition`);
      this.#byTransition.set(transitionKey(from!, to!), EmpiricalDistribution.fromJSON(d));
    }
  }

  /** Think time in µs (0 when the trace had none to learn from). */
  sample(from: number, to: number, prng: Prng): number {
    const d = this.#byTransition.get(transitionKey(from, to)) ?? this.#byState.get(from) ?? this.#all;
    const v = d.sample(prng);
    return Number.isFinite(v) ? Math.max(0, v) : 0;
  }
}
