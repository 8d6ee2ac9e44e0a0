import { Prng } from '@sqltrace/core';
import { secondOrderTrace } from '@sqltrace/fixtures/src/second-order-trace';
import { NeuralGenerator, type NetworkSpec } from '../src';
import { createNetwork } from '../src/neural/create-network';
import { initialWeights, type NetworkWeights } from '../src/neural/network-weights';
import { TransformerForward } from '../src/neural/transformer-forward';
import { collect, memoryTrace } from './helpers';
import { loadTensorFlow } from '../src/neural/tensorflow-backend';

/**
 * The typed-array transformer, a statement at a time with its key/value cache, against
 * TensorFlow.js reading the same sessions at once (causal attention, a prediction at every
 * position): the largest difference in any probability.
 */
async function maxDifference(spec: NetworkSpec, weights: NetworkWeights, rows = 16, length = spec.window + spec.window / 2): Promise<number> {
  const { tf } = await loadTensorFlow('cpu');
  const prng = new Prng('sessions');
  const tokens = new Int32Array(rows * length);
  const gaps = new Int32Array(rows * length);
  for (let i = 0; i < tokens.length; i++) {
    tokens[i] = prng.int(0, spec.templates - 1);
    gaps[i] = prng.int(0, 7);
  }
  const network = createNetwork(tf, spec, weights);
  const expected = tf.tidy(
    () => tf.softmax(network.stepLogits!(tf.tensor2d(tokens, [rows, length], 'int32'), tf.tensor2d(gaps, [rows, length], 'int32'))).dataSync() as Float32Array,
  );
  network.dispose();
  const forward = new TransformerForward(spec, weights);
  const p = new Float32Array(spec.templates);
  let max = 0;
  for (let b = 0; b < rows; b++) {
    const session = forward.session();
    for (let t = 0; t < length; t++) {
      session.read(tokens[b * length + t]!, gaps[b * length + t]!, p);
      for (let j = 0; j < spec.templates; j++) max = Math.max(max, Math.abs(expected[(b * length + t) * spec.templates + j]! - p[j]!));
    }
  }
  return max;
}

describe('the session transformer in typed arrays (key/value cache)', () => {
  it('equals TensorFlow.js at every position on random weights, with two blocks', async () => {
    const spec: NetworkSpec = { kind: 'transformer', context: 'session', templates: 23, window: 12, embedding: 16, units: 24, heads: 4, layers: 2 };
    const weights = new Map([...initialWeights(spec, 'random')].map(([name, w]) => [name, { shape: w.shape, values: w.values.map((v) => v * 1.5) }]));
    expect(weights.has('position.embedding')).toBe(false);
    // The learned distance biases start at 0: give them values to check.
    const prng = new Prng('distance');
    for (const [name, w] of weights)
      if (name.endsWith('attention.distance')) weights.set(name, { shape: w.shape, values: w.values.map(() => prng.next() * 2 - 1) });
    expect(await maxDifference(spec, weights)).toBeLessThan(1e-5);
  });

  it('equals TensorFlow.js on trained weights, and generates one step per statement without TensorFlow.js', async () => {
    const generator = new NeuralGenerator('transformer');
    const model = await generator.train(memoryTrace(secondOrderTrace({ sessions: 60, seed: 'forward' })), {
      settings: { window: 8, epochs: 2, windowsPerEpoch: 400, embedding: 16, units: 32, backend: 'cpu' },
    });
    expect(model.spec.context).toBe('session');
    expect(await maxDifference(model.spec, model.weights)).toBeLessThan(1e-5);
    let backend = '';
    const events = await collect(generator.generate(model, { seed: 3, events: 500, settings: { onBackend: (b: string) => (backend = b) } }));
    expect([events.length, backend]).toEqual([500, 'typed-array']);
  }, 120_000);

  it('keeps the last window and a half of a long session: a statement that far back is forgotten, one within it is not', () => {
    const spec: NetworkSpec = { kind: 'transformer', context: 'session', templates: 5, window: 4, embedding: 8, units: 8, heads: 2, layers: 1 };
    const forward = new TransformerForward(spec, initialWeights(spec, 'long'));
    const read = (tokens: number[]) => {
      const session = forward.session();
      const p = new Float32Array(spec.templates);
      tokens.forEach((t, i) => session.read(t, 1, i === tokens.length - 1 ? p : undefined));
      return p;
    };
    // memory = 6: the first statement of seven is out of reach, the second is not.
    expect(Array.from(read([0, 1, 1, 1, 1, 1, 1]))).toEqual(Array.from(read([2, 1, 1, 1, 1, 1, 1])));
    expect(Array.from(read([1, 0, 1, 1, 1, 1, 1]))).not.toEqual(Array.from(read([1, 2, 1, 1, 1, 1, 1])));
  });
});
