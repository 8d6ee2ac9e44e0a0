import type { ParamValue, SlotType } from '@sqltrace/core';
import type { ScanDialect } from '../normalizer/sql-scanner';

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const MYSQL_BINARY = /^(0x[0-9a-fA-F]+|0b[01]+|[xX]'[0-9a-fA-F]*'|[bB]'[01]*')$/;

/**
 * A value as a literal of the dialect: NULL, TRUE/FALSE, numbers as written (numeric strings of
 * number slots stay bare unless signed with `+`), MySQL hex/bit literals of bytes slots as written, and strings quoted
 * with the dialect's escapes (MySQL also escapes backslashes and NUL; PostgreSQL uses standard
 * conforming strings, where only the quote is doubled).
 */
export function sqlLiteral(value: ParamValue, dialect: ScanDialect, type?: SlotType): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `'${String(value)}'`;
  if ((type === 'int' || type === 'float') && NUMERIC.test(value)) return value;
  if (dialect === 'mysql') {
    if (type === 'bytes' && MYSQL_BINARY.test(value)) return value;
    return "'" + value.replace(/[\\'\0]/g, (ch) => (ch === '\\' ? '\\\\' : ch === "'" ? "''" : '\\0')) + "'";
  }
  return "'" + value.replace(/'/g, "''") + "'";
}
