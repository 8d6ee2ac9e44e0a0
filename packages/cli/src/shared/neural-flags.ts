import { Flags } from '@oclif/core';
import type { BackendChoice, BackendName, EpochReport, NetworkContext, NeuralTrainSettings } from '@sqltrace/generators';
import { int } from './format';
import { type ProgressLine } from './progress-line';

/** Flags of the neural strategies (lstm, transformer), shared by `train` and `compare-models`. */
export const neuralFlags = {
  epochs: Flags.integer({ summary: '[lstm, transformer] Passes over the training windows at most (early stopping may end sooner).', default: 10 }),
  context: Flags.string({
    summary:
      '[lstm, transformer] session (default): the network reads each whole session a statement at a time (the LSTM through its state, the transformer through causal attention over the last --window × 1.5 statements); window: it sees the last --window statements.',
    options: ['session', 'window'],
  }),
  window: Flags.integer({
    summary: '[lstm, transformer] Previous statements the network sees (default 16); with --context session, statements per training stretch (default 32).',
  }),
  units: Flags.integer({ summary: '[lstm, transformer] LSTM units (default 32; 64 with --context window); transformer feed-forward width (default 128).' }),
  embedding: Flags.integer({ summary: '[lstm, transformer] Embedding width; transformer model width (default 32 / 64).' }),
  heads: Flags.integer({ summary: '[transformer] Attention heads.', default: 4 }),
  layers: Flags.integer({ summary: '[transformer] Transformer blocks.', default: 1 }),
  'batch-size': Flags.integer({ summary: '[lstm, transformer] Windows (session stretches) per gradient step (default 128; 32 with --context session).' }),
  'learning-rate': Flags.string({ summary: '[lstm, transformer] Adam learning rate (default 0.01 / 0.005).' }),
  patience: Flags.integer({
    summary: '[lstm, transformer] Stop after this many epochs without a better epoch (session LSTM: sampled fidelity; otherwise held-out loss).',
    default: 2,
  }),
  'windows-per-epoch': Flags.integer({
    summary:
      '[lstm, transformer] At most this many training windows per epoch (with --context session: stretches of --window statements), drawn afresh each epoch (default 20,000).',
  }),
  backend: Flags.string({
    summary: '[lstm, transformer] TensorFlow.js backend: auto picks tfjs-node if installed, else wasm, else cpu.',
    options: ['auto', 'tensorflow', 'wasm', 'cpu'],
    default: 'auto',
  }),
  seed: Flags.string({ summary: '[lstm, transformer] Seed of weight initialization, batches and the held-out split.', default: '1' }),
};

export interface NeuralFlagValues {
  epochs: number;
  context?: string;
  window?: number;
  units?: number;
  embedding?: number;
  heads: number;
  layers: number;
  'batch-size'?: number;
  'learning-rate'?: string;
  patience: number;
  'windows-per-epoch'?: number;
  backend: string;
  seed: string;
}

/** Training settings from the flags, with a per-epoch progress bar on a TTY (`label` names the model). */
export function neuralSettings(
  flags: NeuralFlagValues,
  label: string,
  progress: ProgressLine,
  onBackend?: (backend: BackendName) => void,
): NeuralTrainSettings {
  return {
    epochs: flags.epochs,
    heads: flags.heads,
    layers: flags.layers,
    ...(flags.context !== undefined ? { context: flags.context as NetworkContext } : {}),
    ...(flags.window !== undefined ? { window: flags.window } : {}),
    ...(flags['batch-size'] !== undefined ? { batchSize: flags['batch-size'] } : {}),
    ...(flags['windows-per-epoch'] !== undefined ? { windowsPerEpoch: flags['windows-per-epoch'] } : {}),
    ...(flags.units !== undefined ? { units: flags.units } : {}),
    ...(flags.embedding !== undefined ? { embedding: flags.embedding } : {}),
    ...(flags['learning-rate'] !== undefined ? { learningRate: Number(flags['learning-rate']) } : {}),
    patience: flags.patience,
    backend: flags.backend as BackendChoice,
    seed: flags.seed,
    ...(onBackend ? { onBackend } : {}),
    onBatch: (p) =>
      progress.update(
        () =>
          `${label} epoch ${p.epoch}/${p.epochs} ${bar(p.done / p.total)} loss ${p.loss.toFixed(3)} · ${int(p.sequencesPerSecond)} pred/s · ETA ${eta(p.etaSeconds)}`,
      ),
    onEpoch: (r) => progress.persist(() => epochLine(label, r)),
  };
}

export function epochLine(label: string, r: EpochReport): string {
  const fidelity = r.fidelity !== undefined ? `, sampled mix TVD ${r.fidelity.templateMix.toFixed(3)}, transitions ${r.fidelity.transitions.toFixed(3)}` : '';
  return `${label} epoch ${r.epoch}/${r.epochs}: loss ${r.loss.toFixed(3)}, held-out loss ${r.validationLoss.toFixed(3)}, accuracy ${(100 * r.validationAccuracy).toFixed(1)}%${fidelity}, ${int(r.sequencesPerSecond)} predictions/s, ${r.seconds.toFixed(1)} s${r.improved ? ' *' : ''}`;
}

function bar(ratio: number, width = 20): string {
  const full = Math.round(Math.min(1, Math.max(0, ratio)) * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
