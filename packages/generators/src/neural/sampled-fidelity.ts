import { Prng } from '@sqltrace/core';
import { GAP_BUCKETS } from './gap-bucket';
import { sessionNetwork } from './session-network';
import type { NetworkSpec } from './network-spec';
import type { NetworkWeights } from './network-weights';
import { NeuralPredictor } from './neural-predictor';
import type { SessionSequences } from './session-sequences';
import { boundedFactor } from './transition-calibration';

/** How close sessions sampled from a network come to the trace's: the validator's two sequence distances. */
export interface SampledFidelity {
  /** TVD between the sampled and the trace's template mix. */
  readonly templateMix: number;
  /** Per-template TVD of next-template distributions, weighted by the trace's transition counts. */
  readonly transitions: number;
  /** Statements sampled. */
  readonly sampled: number;
}

/** Statements sampled by default: enough for template shares to ±0.005 on a few dozen templates. */
export const FIDELITY_SAMPLE = 40_000;
/** Sampled sessions are cut at this length, so a trace of a few long sessions still gives several. */
const SESSION_CAP = 10_000;

/**
 * Samples sessions from the network the way generation does — first statements from the trace's
 * session starts, each next one drawn from the network's prediction (through the same
 * {@link NeuralPredictor}), idle times from those the trace had between the same two templates —
 * and measures the sampled process against the trace. Long sampled sessions check that the
 * process keeps to the trace's mix as it runs (stationarity), not only for a window's length.
 */
export function sampledFidelity(
  spec: NetworkSpec,
  weights: NetworkWeights,
  sequences: SessionSequences,
  seed: string | number,
  calibration?: readonly (readonly number[])[],
  sample = FIDELITY_SAMPLE,
): SampledFidelity {
  const templates = spec.templates;
  const { reference } = traceCounts(sequences, templates);
  const { mix, pairs, sampled } = sampleCounts(spec, weights, sequences, seed, calibration, sample);
  return { templateMix: tvd(reference.mix, mix), transitions: transitionDistance(reference.pairs, pairs, templates), sampled };
}

/** Rounds of {@link refineCalibration}, and how far each moves a factor toward its target (damping against sampling noise). */
const REFINE_ROUNDS = 4;
const REFINE_STEP = 0.8;
/** A row is refined once this many of its transitions were sampled. */
const REFINE_MIN_ROW = 50;

/**
 * Refines a teacher-forced calibration on the network's own samples. Fed its own output, a
 * network drifts from what it predicts on the trace (it counts ten point selects on the trace,
 * eleven now and then on its own): sessions are sampled as generation would, and each factor is
 * moved toward the ratio of the trace's transition share to the sampled one, so that the
 * sampled process's transitions — and with them its template mix, which they fix in the long run —
 * come to the trace's.
 */
export function refineCalibration(
  spec: NetworkSpec,
  weights: NetworkWeights,
  sequences: SessionSequences,
  seed: string | number,
  calibration: readonly (readonly number[])[],
  options: { rounds?: number; sample?: number } = {},
): number[][] {
  const templates = spec.templates;
  const { successors, reference } = traceCounts(sequences, templates);
  let factors = calibration.map((f) => [...f]);
  for (let round = 0; round < (options.rounds ?? REFINE_ROUNDS); round++) {
    const { pairs } = sampleCounts(spec, weights, sequences, `${seed}:refine:${round}`, factors, options.sample ?? FIDELITY_SAMPLE);
    factors = factors.map((f, a) => {
      const list = successors[a]!;
      let trace = 0,
        sampled = 0;
      for (const b of list) {
        trace += reference.pairs[a * templates + b]!;
        sampled += pairs[a * templates + b]!;
      }
      if (sampled < REFINE_MIN_ROW || trace === 0) return f;
      return f.map((x, k) => {
        const b = list[k]!;
        const want = reference.pairs[a * templates + b]! / trace;
        const got = pairs[a * templates + b]! / sampled;
        const ratio = got > 0 ? want / got : want > 0 ? 2 : 1;
        return boundedFactor(x * ratio ** REFINE_STEP);
      });
    });
  }
  return factors;
}

/** Statement and transition counts of sessions sampled from the network as generation samples them. */
function sampleCounts(
  spec: NetworkSpec,
  weights: NetworkWeights,
  sequences: SessionSequences,
  seed: string | number,
  calibration: readonly (readonly number[])[] | undefined,
  sample: number,
): { mix: Float64Array; pairs: Float64Array; sampled: number } {
  const templates = spec.templates;
  const { starts, successors, gapTable } = traceCounts(sequences, templates);
  const predictor = new NeuralPredictor(sessionNetwork(spec, weights), new Array<string>(templates).fill(''), {
    starts,
    successors,
    ...(calibration !== undefined ? { calibration } : {}),
  });
  const prng = new Prng(seed).fork('fidelity');
  const lengths: number[] = [];
  for (let s = 0; s < sequences.sessions; s++) {
    const n = sequences.offsets[s + 1]! - sequences.offsets[s]!;
    if (n > 0) lengths.push(Math.min(n, SESSION_CAP));
  }
  const mix = new Float64Array(templates);
  const pairs = new Float64Array(templates * templates);
  const all = () => true;
  let sampled = 0;
  while (sampled < sample && lengths.length > 0) {
    const length = Math.min(lengths[Math.floor(prng.next() * lengths.length)]!, sample - sampled);
    const memory = {};
    const history: number[] = [];
    const gaps: number[] = [];
    let state = predictor.next([], prng, all, []);
    let gap = -1;
    for (let i = 0; i < length && state !== undefined; i++) {
      mix[state]!++;
      sampled++;
      history.push(state);
      gaps.push(gap);
      if (history.length > predictor.historyLength) {
        history.shift();
        gaps.shift();
      }
      if (i === length - 1) break;
      const next = predictor.next(history, prng, all, gaps, undefined, memory);
      if (next === undefined) break;
      pairs[state * templates + next]!++;
      gap = drawGap(gapTable, state, next, templates, prng);
      state = next;
    }
  }
  predictor.dispose();
  return { mix, pairs, sampled };
}

interface TraceCounts {
  readonly starts: number[];
  readonly successors: number[][];
  readonly reference: { mix: Float64Array; pairs: Float64Array };
  readonly gapTable: Map<number, Float64Array>;
}

/** What sampling and measuring need of the trace, counted once per trace (training samples five times an epoch). */
const counted = new WeakMap<SessionSequences, TraceCounts>();

function traceCounts(sequences: SessionSequences, templates: number): TraceCounts {
  let counts = counted.get(sequences);
  if (counts === undefined) {
    counts = {
      starts: sequences.starts(templates),
      successors: sequences.successors(templates),
      reference: countSequences(sequences, templates),
      gapTable: idleBuckets(sequences, templates),
    };
    counted.set(sequences, counts);
  }
  return counts;
}

function countSequences(sequences: SessionSequences, templates: number): { mix: Float64Array; pairs: Float64Array } {
  const mix = new Float64Array(templates);
  const pairs = new Float64Array(templates * templates);
  for (let s = 0; s < sequences.sessions; s++) {
    const from = sequences.offsets[s]!,
      to = sequences.offsets[s + 1]!;
    for (let i = from; i < to; i++) {
      mix[sequences.states[i]!]!++;
      if (i > from) pairs[sequences.states[i - 1]! * templates + sequences.states[i]!]!++;
    }
  }
  return { mix, pairs };
}

/** Idle-time bucket counts by (previous, next) template. */
function idleBuckets(sequences: SessionSequences, templates: number): Map<number, Float64Array> {
  const table = new Map<number, Float64Array>();
  for (let s = 0; s < sequences.sessions; s++) {
    for (let i = sequences.offsets[s]! + 1; i < sequences.offsets[s + 1]!; i++) {
      const key = sequences.states[i - 1]! * templates + sequences.states[i]!;
      let row = table.get(key);
      if (row === undefined) table.set(key, (row = new Float64Array(GAP_BUCKETS)));
      row[sequences.gaps[i]!]!++;
    }
  }
  return table;
}

/** An idle time (µs) in a bucket the trace had between the two templates (the shortest when it never went so). */
function drawGap(table: Map<number, Float64Array>, previous: number, next: number, templates: number, prng: Prng): number {
  const row = table.get(previous * templates + next);
  const bucket = row === undefined ? 1 : prng.weightedIndex(row);
  return bucket <= 1 ? 0 : 10 ** bucket;
}

function tvd(a: Float64Array, b: Float64Array): number {
  let sa = 0,
    sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i]!;
    sb += b[i]!;
  }
  if (sa === 0 || sb === 0) return sa === sb ? 0 : 1;
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! / sa - b[i]! / sb);
  return d / 2;
}

function transitionDistance(reference: Float64Array, sampled: Float64Array, templates: number): number {
  let total = 0,
    weighted = 0;
  for (let s = 0; s < templates; s++) {
    const row = reference.subarray(s * templates, (s + 1) * templates);
    let n = 0;
    for (const c of row) n += c;
    if (n === 0) continue;
    total += n;
    weighted += n * tvd(row, sampled.subarray(s * templates, (s + 1) * templates));
  }
  return total === 0 ? 0 : weighted / total;
}
