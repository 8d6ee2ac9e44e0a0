import type Database from 'better-sqlite3';

/**
 * Enough PostgreSQL for traces captured on PostgreSQL to run on SQLite (the embedded default):
 * `::type` casts dropped, `ILIKE` as `LIKE` (case-insensitive for ASCII in SQLite), and the
 * functions `now()`, `date_trunc(unit, ts)`, `currval(sequence)` (the last inserted row id) and
 * `pg_sleep(seconds)` (which returns at once). Not a translator: what SQLite cannot express still fails, and is reported.
 */
export function rewritePostgres(sql: string): string {
  if (!sql.includes('::') && !/ilike/i.test(sql)) return sql;
  let out = '';
  let from = 0;
  const n = sql.length;
  for (let i = 0; i < n; i++) {
    const c = sql.charCodeAt(i);
    if (c === 39 || c === 34) {
      let e = i + 1;
      while (e < n && !(sql.charCodeAt(e) === c && sql.charCodeAt(e + 1) !== c)) e += sql.charCodeAt(e) === c ? 2 : 1;
      i = e;
    } else if (c === 58 && sql.charCodeAt(i + 1) === 58) {
      // ::type, ::type(…), ::type[]
      let e = i + 2;
      while (e < n && /[A-Za-z0-9_ ]/.test(sql[e]!) && !(sql[e] === ' ' && !/^\s+(precision|varying|with|without|zone)\b/i.test(sql.slice(e)))) e++;
      if (sql[e] === '(') e = sql.indexOf(')', e) + 1 || n;
      while (sql.startsWith('[]', e)) e += 2;
      out += sql.slice(from, i);
      from = e;
      i = e - 1;
    } else if ((c === 73 || c === 105) && /^ilike\b/i.test(sql.slice(i, i + 6)) && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
      out += sql.slice(from, i) + 'LIKE';
      from = i + 5;
      i += 4;
    }
  }
  return out + sql.slice(from);
}

/** The last row id each connection inserted, for `currval()` (SQLite cannot query inside a function). */
const LAST_ROW_ID = new WeakMap<Database.Database, { id: number | bigint }>();

/** Remembers a connection's last inserted row id (call after each INSERT). */
export function noteInsert(db: Database.Database): void {
  const holder = LAST_ROW_ID.get(db);
  if (holder !== undefined) holder.id = (db.prepare('SELECT last_insert_rowid() AS id').get() as { id: number }).id;
}

export function registerPostgresFunctions(db: Database.Database): void {
  const last = { id: 0 as number | bigint };
  LAST_ROW_ID.set(db, last);
  db.function('now', () => new Date().toISOString().replace('T', ' ').replace('Z', ''));
  db.function('date_trunc', (unit: unknown, value: unknown) => {
    const d = new Date(String(value).replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(String(value)) ? '' : 'Z'));
    if (Number.isNaN(d.getTime())) return null;
    const u = String(unit).toLowerCase();
    const parts = [
      d.getUTCFullYear(),
      u === 'year' ? 0 : d.getUTCMonth(),
      ['year', 'month'].includes(u) ? 1 : d.getUTCDate(),
      ['hour', 'minute', 'second'].includes(u) ? d.getUTCHours() : 0,
      ['minute', 'second'].includes(u) ? d.getUTCMinutes() : 0,
      u === 'second' ? d.getUTCSeconds() : 0,
    ] as const;
    return new Date(Date.UTC(...parts)).toISOString().replace('T', ' ').slice(0, 19);
  });
  db.function('currval', (_sequence: unknown) => last.id);
  // Returns at once: SQLite runs in the runner's own thread, where a real sleep would stall every session.
  db.function('pg_sleep', (_seconds: unknown) => null);
}
