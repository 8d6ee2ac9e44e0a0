import type { SessionSequences } from './session-sequences';

/**
 * Stretches of sessions to train a network that carries its state through a whole session (an
 * LSTM in `session` context). Each stretch is up to `span` consecutive predictions of a session
 * — position i predicts the statement at i + 1 — run from a zero state after a warm-up of up to
 * `warm` statements before it (read, not scored), so the state a prediction is made from has
 * seen what came before as it will in generation. A stretch at a session's start needs no
 * warm-up: a session does begin from the zero state.
 *
 * Every statement that has a successor in its session is a target exactly once, with its
 * natural weight: the network learns the trace's own next-template distribution.
 */
export interface Segments {
  /** Session, first position read, first position scored, end (exclusive) of each stretch. */
  readonly session: Int32Array;
  readonly from: Int32Array;
  readonly scoredFrom: Int32Array;
  readonly to: Int32Array;
  /** Predictions over all stretches. */
  readonly targets: number;
  /** Positions a stretch reads at most (warm-up and scored): a batch's row length. */
  readonly length: number;
}

/** A batch of stretches, rows right-padded to `length`. */
export interface SegmentBatch {
  /** [size × length] templates read (PAD past a stretch's end). */
  readonly tokens: Int32Array;
  /** [size × length] idle buckets. */
  readonly gaps: Int32Array;
  /** [size × length] the next template after each position (0 where not scored). */
  readonly targets: Int32Array;
  /** [size × length] 1 where the position is scored. */
  readonly mask: Float32Array;
  readonly size: number;
  readonly length: number;
  /** Scored positions in the batch. */
  readonly scored: number;
}

export function sessionSegments(sequences: SessionSequences, sessions: readonly number[], span: number, warm: number): Segments {
  const session: number[] = [],
    from: number[] = [],
    scoredFrom: number[] = [],
    to: number[] = [];
  let targets = 0;
  for (const s of sessions) {
    const start = sequences.offsets[s]!;
    const predictions = sequences.offsets[s + 1]! - start - 1;
    for (let k = 0; k < predictions; k += span) {
      session.push(s);
      from.push(Math.max(0, k - warm));
      scoredFrom.push(k);
      to.push(Math.min(k + span, predictions));
      targets += Math.min(span, predictions - k);
    }
  }
  return {
    session: Int32Array.from(session),
    from: Int32Array.from(from),
    scoredFrom: Int32Array.from(scoredFrom),
    to: Int32Array.from(to),
    targets,
    length: span + warm,
  };
}

/** Fills a batch from stretches `order[from … from+size)`. */
export function segmentBatch(sequences: SessionSequences, segments: Segments, order: Int32Array, from: number, size: number, pad: number): SegmentBatch {
  const length = segments.length;
  const tokens = new Int32Array(size * length).fill(pad);
  const gaps = new Int32Array(size * length);
  const targets = new Int32Array(size * length);
  const mask = new Float32Array(size * length);
  let scored = 0;
  for (let b = 0; b < size; b++) {
    const k = order[from + b]!;
    const start = sequences.offsets[segments.session[k]!]!;
    const first = segments.from[k]!,
      scoredFrom = segments.scoredFrom[k]!,
      end = segments.to[k]!;
    for (let p = first, j = b * length; p < end; p++, j++) {
      tokens[j] = sequences.states[start + p]!;
      gaps[j] = sequences.gaps[start + p]!;
      if (p >= scoredFrom) {
        targets[j] = sequences.states[start + p + 1]!;
        mask[j] = 1;
        scored++;
      }
    }
  }
  return { tokens, gaps, targets, mask, size, length, scored };
}
