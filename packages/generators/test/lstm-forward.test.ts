import { Prng } from '@sqltrace/core';
import { secondOrderTrace } from '@sqltrace/fixtures/src/second-order-trace';
import { NeuralGenerator, type NetworkSpec } from '../src';
import { createNetwork } from '../src/neural/create-network';
import { LstmForward } from '../src/neural/lstm-forward';
import { initialWeights, type NetworkWeights } from '../src/neural/network-weights';
import { collect, memoryTrace } from './helpers';
import { loadTensorFlow } from '../src/neural/tensorflow-backend';

/** The typed-array forward step gives TensorFlow.js's probabilities, to 1e-5. */
async function maxDifference(spec: NetworkSpec, weights: NetworkWeights, windows = 64): Promise<number> {
  const { tf } = await loadTensorFlow('cpu');
  const prng = new Prng('windows');
  const tokens = new Int32Array(windows * spec.window);
  const gaps = new Int32Array(windows * spec.window);
  for (let i = 0; i < tokens.length; i++) {
    tokens[i] = prng.int(0, spec.templates + 1); // the templates, the unused slot and PAD
    gaps[i] = prng.int(0, 7);
  }
  const network = createNetwork(tf, spec, weights);
  const expected = network.probabilities(tokens, gaps, windows);
  network.dispose();
  const actual = new LstmForward(spec, weights).probabilities(tokens, gaps, windows);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i]! - actual[i]!));
  return max;
}

describe('the LSTM forward step in typed arrays', () => {
  it('equals TensorFlow.js on random weights', async () => {
    const spec: NetworkSpec = { kind: 'lstm', context: 'window', templates: 23, window: 12, embedding: 16, units: 24, heads: 1, layers: 1 };
    // Larger weights than the initial ones, so that the gates saturate somewhere too.
    const weights = new Map([...initialWeights(spec, 'random')].map(([name, w]) => [name, { shape: w.shape, values: w.values.map((v) => v * 6) }]));
    expect(await maxDifference(spec, weights)).toBeLessThan(1e-5);
  });

  it('equals TensorFlow.js on trained weights, and generates with --backend typed-array', async () => {
    const generator = new NeuralGenerator('lstm');
    const model = await generator.train(memoryTrace(secondOrderTrace({ sessions: 60, seed: 'forward' })), {
      settings: { context: 'window', window: 6, epochs: 2, windowsPerEpoch: 1_500, batchSize: 128, embedding: 16, units: 32, backend: 'cpu' },
    });
    expect(await maxDifference(model.spec, model.weights)).toBeLessThan(1e-5);
    let backend = '';
    const events = await collect(
      generator.generate(model, { seed: 3, events: 500, settings: { backend: 'typed-array', onBackend: (b: string) => (backend = b) } }),
    );
    expect([events.length, backend]).toEqual([500, 'typed-array']);
  }, 120_000);
});
