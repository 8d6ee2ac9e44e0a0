import { GAP_BUCKETS } from './gap-bucket';

export type NeuralKind = 'lstm' | 'transformer';

/**
 * What a network predicts from: `window` — the last `window` statements, run from a zero state
 * for every prediction; `session` — the whole session so far, a statement at a time: through the
 * LSTM's recurrent state, or the causal transformer's keys and values of the last `window +
 * window / 2` statements (both trained on stretches of `window` statements, each after a warm-up
 * of half as many).
 */
export type NetworkContext = 'window' | 'session';

/**
 * The shape of a sequence network. Inputs are `templates + 2` tokens (the templates, an unused
 * slot, and PAD = `templates + 1` for positions before a session's start) beside an idle-time
 * bucket; outputs are the `templates` (session ends are the shared session-end model's).
 */
export interface NetworkSpec {
  readonly kind: NeuralKind;
  readonly templates: number;
  /** How many previous statements the network sees (`session` context: how many it is trained on at once). */
  readonly window: number;
  /** Absent in models written before it: `window`. */
  readonly context?: NetworkContext;
  /**
   * false: the network is not told the idle time before each statement, only where a session
   * starts — the trace's clock was coarser than the shortest idle bucket (100 µs), so what it
   * measured (0, or a whole tick) is not what generation's think times are.
   */
  readonly idleInput?: boolean;
  /** Embedding width (the transformer's model width). */
  readonly embedding: number;
  /** LSTM units; the transformer's feed-forward width. */
  readonly units: number;
  /** Attention heads (transformer). */
  readonly heads: number;
  /** Transformer blocks (the LSTM has one layer). */
  readonly layers: number;
}

export type WeightInit = 'glorot' | 'embedding' | 'zeros' | 'ones' | 'lstm-bias';

export interface WeightShape {
  readonly shape: readonly number[];
  readonly init: WeightInit;
}

/** Every weight of a network by name, with its shape and how it starts. */
export function weightShapes(spec: NetworkSpec): Map<string, WeightShape> {
  const v = spec.templates;
  const e = spec.embedding;
  const shapes = new Map<string, WeightShape>([
    ['token.embedding', { shape: [v + 2, e], init: 'embedding' }],
    ['gap.embedding', { shape: [GAP_BUCKETS, e], init: 'embedding' }],
  ]);
  if (spec.kind === 'lstm') {
    const h = spec.units;
    shapes.set('lstm.kernel', { shape: [e, 4 * h], init: 'glorot' });
    shapes.set('lstm.recurrent', { shape: [h, 4 * h], init: 'glorot' });
    shapes.set('lstm.bias', { shape: [4 * h], init: 'lstm-bias' });
    shapes.set('hidden.kernel', { shape: [h, h], init: 'glorot' });
    shapes.set('hidden.bias', { shape: [h], init: 'zeros' });
    shapes.set('output.kernel', { shape: [h, v], init: 'glorot' });
  } else {
    const f = spec.units;
    // A window transformer learns where each position is; a session one sees distances only
    // (ALiBi: a fixed penalty per head on attending further back), so its keys and values hold
    // for as long as they are kept.
    if (!sessionContext(spec)) shapes.set('position.embedding', { shape: [spec.window, e], init: 'embedding' });
    for (let l = 0; l < spec.layers; l++) {
      for (const [name, shape, init] of [
        ['attention.norm.gamma', [e], 'ones'],
        ['attention.norm.beta', [e], 'zeros'],
        ['attention.query', [e, e], 'glorot'],
        ['attention.key', [e, e], 'glorot'],
        ['attention.value', [e, e], 'glorot'],
        ['attention.output', [e, e], 'glorot'],
        ['ffn.norm.gamma', [e], 'ones'],
        ['ffn.norm.beta', [e], 'zeros'],
        ['ffn.inner', [e, f], 'glorot'],
        ['ffn.inner.bias', [f], 'zeros'],
        ['ffn.outer', [f, e], 'glorot'],
        ['ffn.outer.bias', [e], 'zeros'],
      ] as const) {
        shapes.set(`block${l}.${name}`, { shape, init });
      }
      // A session transformer's learned bias per head for attending d statements back (d below
      // what a session keeps), on top of ALiBi's slope: "the one before" and "the one before
      // that" told apart as sharply as learned positions did (ALiBi alone: 6 points short of the
      // best accuracy on a second-order trace).
      if (sessionContext(spec)) shapes.set(`block${l}.attention.distance`, { shape: [spec.heads, rowLength(spec)], init: 'zeros' });
    }
    shapes.set('final.norm.gamma', { shape: [e], init: 'ones' });
    shapes.set('final.norm.beta', { shape: [e], init: 'zeros' });
    shapes.set('output.kernel', { shape: [e, v], init: 'glorot' });
  }
  shapes.set('output.bias', { shape: [v], init: 'zeros' });
  return shapes;
}

/** Checks a spec's numbers, returning what is wrong, or undefined. */
export function specProblem(spec: NetworkSpec): string | undefined {
  if (spec.kind !== 'lstm' && spec.kind !== 'transformer') return `unknown network kind "${String(spec.kind)}"`;
  for (const key of ['templates', 'window', 'embedding', 'units', 'heads', 'layers'] as const) {
    const value = spec[key];
    if (!Number.isInteger(value) || value < 1 || value > 1_000_000) return `${key} must be a whole number ≥ 1, got ${String(value)}`;
  }
  if (spec.context !== undefined && spec.context !== 'window' && spec.context !== 'session')
    return `unknown context "${String(spec.context)}" (window or session)`;
  if (spec.idleInput !== undefined && typeof spec.idleInput !== 'boolean') return `idleInput must be true or false, got ${String(spec.idleInput)}`;
  if (spec.kind === 'transformer' && spec.embedding % spec.heads !== 0)
    return `the embedding width (${spec.embedding}) must be a multiple of the number of heads (${spec.heads})`;
  return undefined;
}

/** Statements a session network's training stretch is preceded by, read but not scored. */
export function warmUp(spec: NetworkSpec): number {
  return Math.ceil(spec.window / 2);
}

/** Statements a network reads for one prediction without a carried state: its window, or a session network's warm-up and stretch. */
export function rowLength(spec: NetworkSpec): number {
  return sessionContext(spec) ? spec.window + warmUp(spec) : spec.window;
}

/** Whether the network carries a recurrent state through the whole session. */
export function sessionContext(spec: NetworkSpec): boolean {
  return spec.context === 'session';
}
