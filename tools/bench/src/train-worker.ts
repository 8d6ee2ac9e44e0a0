/**
 * One training-throughput measurement, run in its own process by bench-train.ts so each has its
 * own peak memory: `tsx train-worker.ts <case>` prints {"sequencesPerSecond": …, "backend": …}.
 *
 * Cases: `lstm` and `transformer` (our networks through the product's trainer, best backend,
 * batch 256), `baseline-lstm` (a plain tf.layers model — embedding, LSTM, softmax — of the same
 * size on the plain JS backend, trained with model.trainOnBatch at batch 64), `baseline-transformer`
 * (tf.layers has no attention layer: our transformer run the plain way, JS backend, batch 64).
 * Model size everywhere: 50 templates, window 16, 64 units (LSTM: embedding 32; transformer: width 64).
 */
import type { TraceEvent } from '@sqltrace/core';
import { secondOrderTrace } from '@sqltrace/fixtures/src/second-order-trace';
import * as tf from '@tensorflow/tfjs';
import { NeuralGenerator } from '@sqltrace/generators';

const TEMPLATES = 50;
const WINDOW = 16;
const STEPS = Number(process.env.STB_BENCH_STEPS ?? 24);

/** Training windows for the baseline: the previous WINDOW tables of each statement (PAD before a session's start) and the table that came. */
function windows(events: readonly TraceEvent[], count: number): { x: Float32Array; y: Float32Array } {
  const sessions = new Map<string, number[]>();
  for (const e of events) {
    const s = sessions.get(e.session) ?? [];
    s.push(Number(/item_(\d+)/.exec(e.sql)![1]));
    sessions.set(e.session, s);
  }
  const x = new Float32Array(count * WINDOW).fill(TEMPLATES + 1);
  const y = new Float32Array(count);
  let n = 0;
  outer: for (const s of sessions.values()) {
    for (let p = 0; p < s.length; p++, n++) {
      if (n >= count) break outer;
      for (let i = Math.max(0, p - WINDOW); i < p; i++) x[n * WINDOW + WINDOW - (p - i)] = s[i]!;
      y[n] = s[p]!;
    }
  }
  return { x, y };
}

async function main(): Promise<void> {
  const kind = process.argv[2] ?? 'lstm';
  const baseline = kind.startsWith('baseline-');
  const network = kind.replace('baseline-', '') as 'lstm' | 'transformer';
  const events = secondOrderTrace({ sessions: 600, templates: TEMPLATES, seed: 'bench-train' });
  const batch = baseline ? 64 : 256;
  const size = { window: WINDOW, embedding: network === 'lstm' ? 32 : 64, units: network === 'lstm' ? 64 : 128, heads: 4, layers: 1 };

  if (kind === 'baseline-lstm') {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    const backend = tf.getBackend();
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: TEMPLATES + 2, outputDim: size.embedding, inputLength: WINDOW }),
        tf.layers.lstm({ units: size.units }),
        tf.layers.dense({ units: TEMPLATES + 1, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy' });
    const data = windows(events, (STEPS + 1) * batch);
    let started = 0;
    for (let step = 0; step <= STEPS; step++) {
      if (step === 1) started = performance.now(); // step 0 warms up
      const x = tf.tensor2d(data.x.subarray(step * batch * WINDOW, (step + 1) * batch * WINDOW), [batch, WINDOW]);
      const y = tf.tensor2d(data.y.subarray(step * batch, (step + 1) * batch), [batch, 1]);
      await model.trainOnBatch(x, y);
      x.dispose();
      y.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ sequencesPerSecond: (STEPS * batch) / seconds, backend, batch }));
    return;
  }

  // Ours (and the transformer baseline): the product's trainer, one epoch of STEPS + 1 steps.
  const stamps: { at: number; done: number }[] = [];
  let backend = '';
  await new NeuralGenerator(network).train(
    {
      name: 'bench',
      events: async function* () {
        yield* events;
      },
    },
    {
      settings: {
        ...size,
        epochs: 1,
        batchSize: batch,
        windowsPerEpoch: (STEPS + 1) * batch,
        learningRate: 0.003,
        backend: baseline ? 'cpu' : 'auto',
        onBackend: (b: string) => (backend = b),
        onBatch: (p: { done: number }) => stamps.push({ at: performance.now(), done: p.done }),
      },
    },
  );
  // From the end of the first (warm-up) step to the end of the last.
  const first = stamps[0]!;
  const last = stamps[stamps.length - 1]!;
  console.log(JSON.stringify({ sequencesPerSecond: (last.done - first.done) / ((last.at - first.at) / 1000), backend, batch }));
}

await main();
