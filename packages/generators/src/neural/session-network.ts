import { LstmForward, type ProbabilityNetwork } from './lstm-forward';
import type { NetworkSpec } from './network-spec';
import type { NetworkWeights } from './network-weights';
import { TransformerForward } from './transformer-forward';

/** A session's place in a network that reads a session a statement at a time. */
export interface SessionReader {
  /** Reads the session's next statement (template, idle bucket); writes the next-template probabilities to `out` when given. */
  read(token: number, bucket: number, out?: Float32Array): void;
}

/**
 * A trained network in plain typed arrays that steps through sessions (session context): the
 * LSTM's recurrent state, or the causal transformer's key/value cache.
 */
export interface SessionNetwork extends ProbabilityNetwork {
  /** A new session, before its first statement. */
  session(): SessionReader;
}

/** The typed-array forward pass of a session-context network. */
export function sessionNetwork(spec: NetworkSpec, weights: NetworkWeights): SessionNetwork {
  return spec.kind === 'lstm' ? new LstmForward(spec, weights) : new TransformerForward(spec, weights);
}
