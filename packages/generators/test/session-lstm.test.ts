import { Prng, type TraceEvent } from '@sqltrace/core';
import { MarkovGenerator, NeuralGenerator, type NetworkSpec } from '../src';
import { LstmForward } from '../src/neural/lstm-forward';
import { LstmNetwork } from '../src/neural/lstm-network';
import { initialWeights, type NetworkWeights } from '../src/neural/network-weights';
import { NeuralPredictor } from '../src/neural/neural-predictor';
import { sessionSegments, segmentBatch } from '../src/neural/session-segments';
import { SessionSequences } from '../src/neural/session-sequences';
import { calibrateTransitions, sessionPredictions } from '../src/neural/transition-calibration';
import { collect, memoryTrace } from './helpers';
import { loadTensorFlow } from '../src/neural/tensorflow-backend';

const spec = (over: Partial<NetworkSpec> = {}): NetworkSpec => ({
  kind: 'lstm',
  context: 'session',
  templates: 7,
  window: 8,
  embedding: 8,
  units: 12,
  heads: 1,
  layers: 1,
  ...over,
});

function sequencesOf(sessions: number[][]): SessionSequences {
  const offsets = [0];
  for (const s of sessions) offsets.push(offsets[offsets.length - 1]! + s.length);
  const flat = sessions.flat();
  return new SessionSequences(
    Int32Array.from(flat),
    Uint8Array.from(flat, (_, i) => (offsets.includes(i) ? 0 : 3)),
    Int32Array.from(offsets),
  );
}

/**
 * A sysbench-shaped workload: every transaction is BEGIN, ten point selects, four range
 * selects, an update and COMMIT, and every statement picks one of four tables at random — the
 * shape on which a network that favours one table by a few percent shifts the whole mix.
 */
function sysbenchLike(sessions: number, transactions: number, seed: string): TraceEvent[] {
  const prng = new Prng(seed);
  const events: TraceEvent[] = [];
  let ts = 1_800_000_000_000_000;
  for (let s = 0; s < sessions; s++) {
    for (let t = 0; t < transactions; t++) {
      const table = () => `sbtest${prng.int(1, 4)}`;
      const statements = ['BEGIN'];
      for (let i = 0; i < 10; i++) statements.push(`SELECT c FROM ${table()} WHERE id = ${prng.int(1, 1_000)}`);
      for (const q of [
        'SELECT c FROM T WHERE id BETWEEN 1 AND 100',
        'SELECT SUM(k) FROM T WHERE id BETWEEN 1 AND 100',
        'SELECT c FROM T WHERE id BETWEEN 1 AND 100 ORDER BY c',
        'SELECT DISTINCT c FROM T WHERE id BETWEEN 1 AND 100 ORDER BY c',
      ]) {
        statements.push(q.replace('T', table()));
      }
      statements.push(`UPDATE ${table()} SET k = k + 1 WHERE id = ${prng.int(1, 1_000)}`, 'COMMIT');
      for (const sql of statements) events.push({ ts: (ts += 150), session: `c${s}`, sql, durationUs: 100 });
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

function mix(events: readonly TraceEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.templateId ?? e.sql, (counts.get(e.templateId ?? e.sql) ?? 0) + 1);
  return counts;
}

function tvd(a: Map<string, number>, b: Map<string, number>): number {
  const na = [...a.values()].reduce((x, y) => x + y, 0),
    nb = [...b.values()].reduce((x, y) => x + y, 0);
  let d = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) d += Math.abs((a.get(k) ?? 0) / na - (b.get(k) ?? 0) / nb);
  return d / 2;
}

describe('an LSTM that carries its state through the session', () => {
  it('steps through a session as TensorFlow.js computes it, to 1e-5 at every position', async () => {
    const s = spec();
    const weights: NetworkWeights = new Map([...initialWeights(s, 'steps')].map(([name, w]) => [name, { shape: w.shape, values: w.values.map((v) => v * 6) }]));
    const { tf } = await loadTensorFlow('cpu');
    const prng = new Prng('session');
    const length = 40; // past the stretch it trains on: generation carries the state further
    const tokens = Int32Array.from({ length }, () => prng.int(0, s.templates - 1));
    const gaps = Int32Array.from({ length }, (_, i) => (i === 0 ? 0 : prng.int(1, 7)));
    const network = new LstmNetwork(tf, s, weights);
    const expected = tf.tidy(
      () => tf.softmax(network.stepLogits(tf.tensor2d(tokens, [1, length], 'int32'), tf.tensor2d(gaps, [1, length], 'int32'))).dataSync() as Float32Array,
    );
    network.dispose();
    const forward = new LstmForward(s, weights);
    const state = forward.newState();
    const out = new Float32Array(s.templates);
    let max = 0;
    for (let t = 0; t < length; t++) {
      forward.step(state, tokens[t]!, gaps[t]!, out);
      for (let j = 0; j < s.templates; j++) max = Math.max(max, Math.abs(out[j]! - expected[t * s.templates + j]!));
    }
    expect(max).toBeLessThan(1e-5);
  });

  it('trains on stretches that score every statement with a successor once, after a warm-up that is read but not scored', () => {
    const sequences = sequencesOf([[0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4], [5, 6], [3]]);
    const segments = sessionSegments(sequences, [0, 1, 2], 4, 2);
    expect(segments.targets).toBe(11 + 1 + 0);
    expect([...segments.scoredFrom]).toEqual([0, 4, 8, 0]);
    expect([...segments.from]).toEqual([0, 2, 6, 0]); // two statements of warm-up, none at a session's start
    const batch = segmentBatch(sequences, segments, Int32Array.from([1, 3]), 0, 2, 9);
    expect(batch.length).toBe(6);
    // Stretch 1 reads positions 2…7 of session 0 and scores 4…7 (predicting 5, 6, 0, 1).
    expect([...batch.tokens.subarray(0, 6)]).toEqual([2, 3, 4, 5, 6, 0]);
    expect([...batch.mask.subarray(0, 6)]).toEqual([0, 0, 1, 1, 1, 1]);
    expect([...batch.targets.subarray(2, 6)]).toEqual([5, 6, 0, 1]);
    // Session 1 has one prediction; the rest of its row is padding, not scored.
    expect([...batch.tokens.subarray(6, 12)]).toEqual([5, 9, 9, 9, 9, 9]);
    expect([...batch.mask.subarray(6, 12)]).toEqual([1, 0, 0, 0, 0, 0]);
    expect(batch.scored).toBe(5);
  });

  it('calibrates a network that favours one template so that its draws follow the trace’s transitions', () => {
    // A network that ignores its input and predicts template 0 e² ≈ 7.4 times as often as 1, 2 or 3.
    const s = spec({ templates: 4 });
    const weights = new Map(
      [...initialWeights(s, 'biased')].map(([name, w]) => [
        name,
        { shape: w.shape, values: name === 'output.bias' ? Float32Array.from([2, 0, 0, 0]) : new Float32Array(w.values.length) },
      ]),
    );
    // The trace: after each template, the four equally often.
    const prng = new Prng('uniform');
    const sequences = sequencesOf([Array.from({ length: 4_000 }, () => prng.int(0, 3))]);
    const successors = sequences.successors(4);
    const calibration = calibrateTransitions(sessionPredictions(new LstmForward(s, weights), sequences, 1), successors);
    const draws = (withCalibration: boolean) => {
      const predictor = new NeuralPredictor(new LstmForward(s, weights), ['a', 'b', 'c', 'd'], {
        starts: [1, 1, 1, 1],
        successors,
        ...(withCalibration ? { calibration } : {}),
      });
      const counts = [0, 0, 0, 0];
      const memory = {};
      const draw = new Prng('draws');
      let state = 0;
      for (let i = 0; i < 20_000; i++) {
        state = predictor.next([state], draw, () => true, [100], undefined, memory)!;
        counts[state]!++;
      }
      return counts.map((c) => c / 20_000);
    };
    expect(draws(false)[0]).toBeGreaterThan(0.6); // uncalibrated: 7.4 / 10.4 = 0.71
    for (const share of draws(true)) expect(Math.abs(share - 0.25)).toBeLessThan(0.015);
  });

  it('reproduces a sysbench-shaped mix and transitions as well as the Markov chain, and says how close its samples came', async () => {
    const events = sysbenchLike(8, 300, 'sysbench'); // 8 sessions of 4,800 statements
    const trace = memoryTrace(events, 'mysql');
    const generator = new NeuralGenerator('lstm');
    const model = await generator.train(trace, { settings: { epochs: 2, windowsPerEpoch: 30_000 } });
    expect(model.spec).toMatchObject({ context: 'session', units: 32, window: 32 });
    expect(model.training.fidelity!.templateMix).toBeLessThan(0.02);
    expect(model.calibration).toHaveLength(model.spec.templates);
    const markov = new MarkovGenerator();
    const chain = await markov.train(trace);
    // Statements as templates: numbers are values, but a table's number names the table.
    const shape = (trace: readonly TraceEvent[]) => mix(trace.map((e) => ({ ...e, templateId: e.sql.replace(/(?<!sbtest)\d+/g, '?') })));
    const original = shape(events);
    const lstmTvd = tvd(original, shape(await collect(generator.generate(model, { seed: 5, events: events.length }))));
    const markovTvd = tvd(original, shape(await collect(markov.generate(chain, { seed: 5, events: events.length }))));
    expect(original.size).toBe(4 * 6 + 2);
    expect(lstmTvd).toBeLessThan(markovTvd + 0.01);
  }, 240_000);
});
