/** A session's recent statements: template indexes (−1 for one the model never saw) and the idle time before each (µs, −1 at the start). */
export interface ScoredHistory {
  readonly states: readonly number[];
  readonly gaps: readonly number[];
}

/**
 * What a sequence model predicts next: for each history, a probability per template (and, for a
 * model that predicts session ends, one for END at index = number of templates). Every strategy
 * offers one, so models are compared on the same held-out sessions.
 */
export interface NextTemplateScorer {
  /** The model's templates in state order. */
  readonly templateIds: readonly string[];
  /** How many recent statements the model looks at. */
  readonly historyLength: number;
  score(histories: readonly ScoredHistory[]): ArrayLike<number>[];
  /** Frees what the scorer holds (tensors). */
  dispose?(): void;
}
