/**
 * PostgreSQL-style `$n` placeholders as SQLite's numbered `?n`, outside quotes and comments
 * (`?` placeholders of MySQL traces are already SQLite's).
 */
export function toSqlitePlaceholders(sql: string): string {
  if (!sql.includes('$')) return sql;
  let out = '';
  let from = 0;
  const n = sql.length;
  for (let i = 0; i < n; i++) {
    const c = sql.charCodeAt(i);
    if (c === 39 || c === 34 || c === 96) {
      // '…', "…", `…`: skip to the closing quote (doubled quotes stay inside).
      let e = i + 1;
      while (e < n && !(sql.charCodeAt(e) === c && sql.charCodeAt(e + 1) !== c)) e += sql.charCodeAt(e) === c ? 2 : 1;
      i = e;
    } else if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const e = sql.indexOf('\n', i);
      i = e === -1 ? n : e;
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const e = sql.indexOf('*/', i + 2);
      i = e === -1 ? n : e + 1;
    } else if (c === 36 && i + 1 < n && sql.charCodeAt(i + 1) >= 48 && sql.charCodeAt(i + 1) <= 57 && !(i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1]!))) {
      out += sql.slice(from, i) + '?';
      from = i + 1;
    }
  }
  return out + sql.slice(from);
}
