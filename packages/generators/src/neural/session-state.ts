import type { LstmForward } from './lstm-forward';
import { warmUp } from './network-spec';

/**
 * A session's place in a session LSTM: its recurrent state, kept within what training showed
 * the network. Training reads stretches of `window` statements after a warm-up of `window / 2`
 * from a zero state, so the network never learned to hold its state over thousands of
 * statements — carried that far, it drifts (on a sysbench log: template-mix TVD 0.10 over
 * 30,000-statement sessions, 0.01 over 5,000). So once the state has read `window + window / 2`
 * statements it is re-anchored: zeroed and fed the last `window / 2` statements again, as a
 * training stretch begins. Half a window of extra steps per window: a third more work.
 */
export class SessionState {
  readonly #network: LstmForward;
  readonly #state: Float64Array;
  readonly #warm: number;
  readonly #limit: number;
  /** The last `warm` statements read (token, idle bucket). */
  readonly #tokens: number[] = [];
  readonly #buckets: number[] = [];
  #read = 0;

  constructor(network: LstmForward) {
    this.#network = network;
    this.#state = network.newState();
    this.#warm = warmUp(network.spec);
    this.#limit = network.spec.window + this.#warm;
  }

  /** Reads the session's next statement; writes the next-template probabilities to `out` when given. */
  read(token: number, bucket: number, out?: Float32Array): void {
    const network = this.#network,
      state = this.#state;
    if (this.#read >= this.#limit) {
      state.fill(0);
      for (let i = 0; i < this.#tokens.length; i++) network.step(state, this.#tokens[i]!, this.#buckets[i]!);
      this.#read = this.#tokens.length;
    }
    network.step(state, token, bucket, out);
    this.#read++;
    this.#tokens.push(token);
    this.#buckets.push(bucket);
    if (this.#tokens.length > this.#warm) {
      this.#tokens.shift();
      this.#buckets.shift();
    }
  }
}
