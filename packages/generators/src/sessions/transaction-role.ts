/** What a template does to a session's transaction state. */
export type TransactionRole = 'begin' | 'end' | 'none';

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
// ROLLBACK TO SAVEPOINT stays inside the transaction; ROLLBACK/COMMIT/END/ABORT (AND CHAIN too) end it.
const END = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+(WORK\s+|TRANSACTION\s+)?TO\b)|PREPARE\s+TRANSACTION)\b/i;

export function transactionRole(templateText: string): TransactionRole {
  if (BEGIN.test(templateText)) return 'begin';
  if (END.test(templateText)) return 'end';
  return 'none';
}
