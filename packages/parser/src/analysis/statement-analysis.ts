import type { StatementKind, TemplateTables } from '@sqltrace/core';

/** What the grammar could tell about a statement. */
export interface StatementAnalysis {
  readonly kind: StatementKind;
  readonly tables: TemplateTables;
  /** False when the parser had to recover from syntax it has no rules for: the result is partial. */
  readonly complete: boolean;
}
