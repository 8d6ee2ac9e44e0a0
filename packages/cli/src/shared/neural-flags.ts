import { Flags } from '@oclif/core';
import type { BackendChoice, BackendName, EpochReport, NeuralTrainSettings } from '@sqltrace/generators';
import { int } from './format';
import { ProgressLine } from './progress-line';

/** Flags of the neural strategies (lstm, transformer), shared by `train` and `compare-models`. */
export const neuralFlags = {
  epochs: Flags.integer({ summary: '[lstm, transformer] Passes over the training windows at most (early stopping may end sooner).', default: 10 }),
  window: Flags.integer({ summary: '[lstm, transformer] Previous statements the network sees.', default: 16 }),
  units: Flags.integer({ summary: '[lstm, transformer] LSTM units; transformer feed-forward width (default 64 / 128).' }),
  embedding: Flags.integer({ summary: '[lstm, transformer] Embedding width; transformer model width (default 32 / 64).' }),
  heads: Flags.integer({ summary: '[transformer] Attention heads.', default: 4 }),
  layers: Flags.integer({ summary: '[transformer] Transformer blocks.', default: 1 }),
  'batch-size': Flags.integer({ summary: '[lstm, transformer] Windows per gradient step.', default: 128 }),
  'learning-rate': Flags.string({ summary: '[lstm, transformer] Adam learning rate (default 0.01 / 0.005).' }),
  patience: Flags.integer({ summary: '[lstm, transformer] Stop after this many epochs without a better held-out loss.', default: 2 }),
  'windows-per-epoch': Flags.integer({ summary: '[lstm, transformer] At most this many training windows per epoch, drawn afresh each epoch.', default: 20_000 }),
  backend: Flags.string({ summary: '[lstm, transformer] TensorFlow.js backend: auto picks tfjs-node if installed, else wasm, else cpu.', options: ['auto', 'tensorflow', 'wasm', 'cpu'], default: 'auto' }),
  seed: Flags.string({ summary: '[lstm, transformer] Seed of weight initialization, batches and the held-out split.', default: '1' }),
};

export interface NeuralFlagValues {
  epochs: number;
  window: number;
  units?: number;
  embedding?: number;
  heads: number;
  layers: number;
  'batch-size': number;
  'learning-rate'?: string;
  patience: number;
  'windows-per-epoch': number;
  backend: string;
  seed: string;
}

/** Training settings from the flags, with a per-epoch progress bar on a TTY (`label` names the model). */
export function neuralSettings(flags: NeuralFlagValues, label: string, progress: ProgressLine, onBackend?: (backend: BackendName) => void): NeuralTrainSettings {
  return {
    epochs: flags.epochs, window: flags.window, heads: flags.heads, layers: flags.layers,
    ...(flags.units !== undefined ? { units: flags.units } : {}),
    ...(flags.embedding !== undefined ? { embedding: flags.embedding } : {}),
    ...(flags['learning-rate'] !== undefined ? { learningRate: Number(flags['learning-rate']) } : {}),
    batchSize: flags['batch-size'], patience: flags.patience, windowsPerEpoch: flags['windows-per-epoch'],
    backend: flags.backend as BackendChoice, seed: flags.seed,
    ...(onBackend ? { onBackend } : {}),
    onBatch: (p) => progress.update(() => `${label} epoch ${p.epoch}/${p.epochs} ${bar(p.done / p.total)} loss ${p.loss.toFixed(3)} · ${int(p.sequencesPerSecond)} seq/s · ETA ${eta(p.etaSeconds)}`),
    onEpoch: (r) => progress.persist(() => epochLine(label, r)),
  };
}

export function epochLine(label: string, r: EpochReport): string {
  return `${label} epoch ${r.epoch}/${r.epochs}: loss ${r.loss.toFixed(3)}, held-out loss ${r.validationLoss.toFixed(3)}, accuracy ${(100 * r.validationAccuracy).toFixed(1)}%, ${int(r.sequencesPerSecond)} seq/s, ${r.seconds.toFixed(1)} s${r.improved ? ' *' : ''}`;
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
