import { LstmNetwork } from './lstm-network';
import type { NetworkSpec } from './network-spec';
import type { NetworkWeights } from './network-weights';
import type { SequenceNetwork } from './sequence-network';
import type { TensorFlow } from './tensorflow-backend';
import { TransformerNetwork } from './transformer-network';

export function createNetwork(tf: TensorFlow, spec: NetworkSpec, weights: NetworkWeights): SequenceNetwork {
  return spec.kind === 'lstm' ? new LstmNetwork(tf, spec, weights) : new TransformerNetwork(tf, spec, weights);
}
