import { isDriverError, type DriverSession } from '@sqltrace/core';

/** Where a statement stands to a transaction: it opens one, ends one, or neither. */
type Edge = 'begin' | 'end' | undefined;

const BEGIN = /^[\s(]*(begin|start\s+transaction)\b/i;
/** COMMIT, ROLLBACK (not ROLLBACK TO a savepoint), END, ABORT. */
const END = /^[\s(]*(commit|rollback(?!\s+(work\s+)?to\b)|end|abort)\b/i;

/**
 * Follows each connection's explicit transaction, so that one the server rolled back — a deadlock
 * or serialization failure (SQLSTATE class 40) — is not replayed on as if it had not been: the log
 * goes on with the rest of that transaction, which would now run outside any transaction (each
 * statement committed on its own, an INSERT of a row whose DELETE was rolled back a duplicate key)
 * on MySQL, or fail one by one with 25P02 on PostgreSQL. The rest is skipped, up to the statement
 * that ends it (sent: a COMMIT or ROLLBACK of nothing is harmless), and counted.
 */
export class TransactionTracker {
  /** Transactions the server rolled back, and the statements of them not sent. */
  readonly rolledBack = { transactions: 0, statementsSkipped: 0 };
  readonly #state = new WeakMap<DriverSession, 'open' | 'rolled-back'>();
  /** Per template: computed once. */
  readonly #edges = new Map<string, Edge>();

  /** True when `sql` belongs to a transaction the server already rolled back on `session`: do not send it. */
  skips(session: DriverSession, template: string, sql: string): boolean {
    if (this.#state.get(session) !== 'rolled-back' || this.#edge(template, sql) !== undefined) return false;
    this.rolledBack.statementsSkipped++;
    return true;
  }

  /** What `sql` did on `session` (its error, if it failed). */
  ran(session: DriverSession, template: string, sql: string, error: unknown): void {
    const edge = this.#edge(template, sql);
    if (edge === 'begin') {
      if (error === undefined) this.#state.set(session, 'open');
    } else if (edge === 'end') {
      this.#state.delete(session);
    } else if (error !== undefined && this.#state.get(session) === 'open' && isDriverError(error) && error.errorClass === '40') {
      this.#state.set(session, 'rolled-back');
      this.rolledBack.transactions++;
    }
  }

  #edge(template: string, sql: string): Edge {
    let edge = this.#edges.get(template);
    if (edge === undefined && !this.#edges.has(template)) this.#edges.set(template, (edge = BEGIN.test(sql) ? 'begin' : END.test(sql) ? 'end' : undefined));
    return edge;
  }
}
