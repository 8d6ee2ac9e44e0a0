import { Prng } from '@sqltrace/core';
import { weightShapes, type NetworkSpec } from './network-spec';

export interface WeightTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A network's weights by name, independent of TensorFlow.js (for model files and snapshots). */
export type NetworkWeights = ReadonlyMap<string, WeightTensor>;

export interface WeightJson {
  readonly name: string;
  readonly shape: readonly number[];
  /** Little-endian float32, base64. */
  readonly data: string;
}

/** Fresh weights for a spec from the seeded PRNG (Glorot-uniform kernels, small embeddings, LSTM forget bias 1). */
export function initialWeights(spec: NetworkSpec, seed: string | number): NetworkWeights {
  const prng = new Prng(seed).fork('weights');
  const weights = new Map<string, WeightTensor>();
  for (const [name, { shape, init }] of weightShapes(spec)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === 'glorot' || init === 'embedding') {
      const limit = init === 'glorot' ? Math.sqrt(6 / (shape[0]! + shape[shape.length - 1]!)) : 0.05;
      for (let i = 0; i < size; i++) values[i] = (prng.next() * 2 - 1) * limit;
    } else if (init === 'ones') {
      values.fill(1);
    } else if (init === 'lstm-bias') {
      // Gates in the order input, forget, cell, output: forget starts open.
      values.fill(1, size / 4, size / 2);
    }
    weights.set(name, { shape, values });
  }
  return weights;
}

export function weightsToJson(weights: NetworkWeights): WeightJson[] {
  return [...weights].map(([name, { shape, values }]) => ({
    name,
    shape,
    data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'),
  }));
}

/**
 * Reads weights written by {@link weightsToJson}, checking them against the spec: a missing,
 * extra or misshapen weight is a RangeError naming it.
 */
export function weightsFromJson(json: unknown, spec: NetworkSpec): NetworkWeights {
  if (!Array.isArray(json)) throw new RangeError('the network has no weights');
  const expected = weightShapes(spec);
  const weights = new Map<string, WeightTensor>();
  for (const item of json as Partial<WeightJson>[]) {
    const name = String(item?.name);
    const shape = expected.get(name)?.shape;
    if (shape === undefined) throw new RangeError(`the network has an unexpected weight "${name}"`);
    if (!Array.isArray(item.shape) || item.shape.join('x') !== shape.join('x'))
      throw new RangeError(`weight "${name}" has shape ${String(item.shape)}, expected ${shape.join('x')}`);
    if (typeof item.data !== 'string') throw new RangeError(`weight "${name}" has no data`);
    const bytes = Buffer.from(item.data, 'base64');
    const size = shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== size * 4) throw new RangeError(`weight "${name}" has ${bytes.length} bytes of data, expected ${size * 4} (${size} float32 values)`);
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(bytes);
    if (!values.every(Number.isFinite)) throw new RangeError(`weight "${name}" holds values that are not finite`);
    weights.set(name, { shape, values });
  }
  const missing = [...expected.keys()].filter((name) => !weights.has(name));
  if (missing.length > 0) throw new RangeError(`the network is missing weight${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`);
  return weights;
}
