/**
 * The literal after PASSWORD (CREATE/ALTER ROLE|USER … PASSWORD 'x', SET PASSWORD = 'x',
 * OPTIONS (password 'x')) or IDENTIFIED [WITH plugin] BY|AS 'x'.
 */
const PASSWORD_LITERAL =
  /\b((?:ENCRYPTED\s+|UNENCRYPTED\s+)?PASSWORD\s*(?:=\s*)?(?:(?:OLD_)?PASSWORD\s*)?(?:\(\s*)?|IDENTIFIED\s+(?:WITH\s+\S+\s+)?(?:BY|AS)\s+(?:PASSWORD\s+)?)(E?'(?:[^'\\]|''|\\.)*'|"(?:[^"\\]|""|\\.)*")/gi;

/** Cheap test before the full pattern: most statements name no password. */
const MAY_HOLD = /password|identified/i;

/**
 * A statement with its password literals replaced by `'***'`. Statements that keep their literals
 * inline (DDL and administration take no bind parameters) would otherwise carry passwords into
 * traces, templates and results.
 */
export function maskPasswordLiterals(sql: string): string {
  if (!MAY_HOLD.test(sql)) return sql;
  return sql.replace(PASSWORD_LITERAL, "$1'***'");
}
