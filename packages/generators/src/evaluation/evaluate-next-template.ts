import type { HeldOutSession } from './held-out-sessions';
import type { NextTemplateScorer, ScoredHistory } from './next-template-scorer';

export interface NextTemplateScore {
  /** Share of predictions whose most likely template was the one that came. */
  readonly accuracy: number;
  /** Mean −ln p(the template that came), p floored at {@link PROBABILITY_FLOOR}. */
  readonly logLoss: number;
  readonly predictions: number;
  /** Predictions whose template the model never saw (always wrong). */
  readonly unknown: number;
}

/** Probabilities below this count as this in the log-loss, so one impossible event does not make it infinite. */
export const PROBABILITY_FLOOR = 1e-4;

export interface EvaluationOptions {
  /** Score at most this many predictions (default 50,000), sessions taken in order. */
  readonly maxPredictions?: number;
  readonly batchSize?: number;
}

/**
 * Next-template accuracy and log-loss of a model on held-out sessions: every statement after a
 * session's first is predicted from the statements before it (the session's end is not scored;
 * probabilities are renormalized over templates).
 */
export function evaluateNextTemplate(scorer: NextTemplateScorer, sessions: readonly HeldOutSession[], options: EvaluationOptions = {}): NextTemplateScore {
  const limit = options.maxPredictions ?? 50_000;
  const batchSize = options.batchSize ?? 512;
  const index = new Map(scorer.templateIds.map((id, i) => [id, i]));
  const templates = scorer.templateIds.length;
  let hits = 0;
  let loss = 0;
  let n = 0;
  let unknown = 0;
  let histories: ScoredHistory[] = [];
  let targets: number[] = [];
  const flush = () => {
    const scores = scorer.score(histories);
    for (let b = 0; b < scores.length; b++) {
      const p = scores[b]!;
      const target = targets[b]!;
      let sum = 0;
      let best = 0;
      for (let s = 0; s < templates; s++) {
        sum += p[s]!;
        if (p[s]! > p[best]!) best = s;
      }
      if (target >= 0 && best === target && sum > 0) hits++;
      const q = target >= 0 && sum > 0 ? p[target]! / sum : 0;
      loss -= Math.log(Math.max(q, PROBABILITY_FLOOR));
    }
    histories = [];
    targets = [];
  };
  outer: for (const session of sessions) {
    const states = session.templateIds.map((id) => index.get(id) ?? -1);
    for (let p = 1; p < states.length; p++) {
      if (n >= limit) break outer;
      const from = Math.max(0, p - scorer.historyLength);
      histories.push({ states: states.slice(from, p), gaps: session.gaps.slice(from, p) });
      targets.push(states[p]!);
      if (states[p]! < 0) unknown++;
      n++;
      if (histories.length >= batchSize) flush();
    }
  }
  if (histories.length > 0) flush();
  return { accuracy: n === 0 ? Number.NaN : hits / n, logLoss: n === 0 ? Number.NaN : loss / n, predictions: n, unknown };
}
