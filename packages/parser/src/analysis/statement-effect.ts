import type { StatementSafety } from '@sqltrace/core';
import { scanSql, type ScanDialect } from '../normalizer/sql-scanner';

/**
 * The replay safety class of a statement (PostgreSQL, MySQL/MariaDB, SQLite), from its keywords:
 * comments, string literals and quoted identifiers are skipped, so neither a value nor a name
 * can make a statement look like another (the dialect says what quotes a string and what starts a
 * comment: the normalizer's own scanner reads it).
 *
 * - admin: ALTER SYSTEM, SET GLOBAL / PERSIST / @@global, roles and users (CREATE/ALTER/DROP
 *   USER|ROLE, SET PASSWORD, GRANT, REVOKE), databases (CREATE/ALTER/DROP DATABASE),
 *   tablespaces, servers and user mappings, extensions, plugins, replication, files and
 *   programs (COPY to or from a file or PROGRAM, SELECT … INTO OUTFILE/DUMPFILE, LOAD DATA, LOAD
 *   'library', pg_read_file & co., lo_import/lo_export), SHUTDOWN, KILL, pg_terminate_backend,
 *   pg_reload_conf, CHECKPOINT, FLUSH, PURGE, RESET MASTER, INSTALL/UNINSTALL.
 * - ddl: CREATE, ALTER, DROP, TRUNCATE, RENAME, COMMENT, REFRESH, SELECT … INTO a new table;
 *   destructive when it drops, truncates or renames.
 * - write: INSERT, UPDATE, DELETE, MERGE, REPLACE, COPY FROM STDIN / TO STDOUT, CALL, DO, LOCK,
 *   VACUUM, ANALYZE, CLUSTER, REINDEX, OPTIMIZE, and WITH … that writes.
 * - read: everything else (SELECT, SHOW, EXPLAIN, transaction control, session SET, cursors…).
 */
export function classifyStatement(sql: string, dialect: ScanDialect = 'postgres'): StatementSafety {
  return classifyWords(keywords(sql, dialect));
}

function classifyWords(words: readonly string[]): StatementSafety {
  const w = (i: number) => words[i] ?? '';
  const has = (word: string) => words.includes(word);
  const first = w(0);
  const admin = (what: string): StatementSafety => ({ effect: 'admin', destructive: false, what });
  const ddl = (what: string, destructive = false): StatementSafety => ({ effect: 'ddl', destructive, what });
  const write = (what: string): StatementSafety => ({ effect: 'write', destructive: false, what });
  const read = (what: string): StatementSafety => ({ effect: 'read', destructive: false, what });

  // Functions that reach the server's files, processes or configuration, wherever they appear.
  const fn = words.find((x) => ADMIN_FUNCTIONS.has(x));
  if (fn !== undefined) return admin(`${fn}()`);

  switch (first) {
    case 'SHUTDOWN':
    case 'KILL':
    case 'CHECKPOINT':
    case 'FLUSH':
    case 'PURGE':
    case 'INSTALL':
    case 'UNINSTALL':
    case 'GRANT':
    case 'REVOKE':
    case 'CHANGE':
    case 'BINLOG':
    case 'CACHE':
    case 'SECURITY':
    case 'REASSIGN':
      return admin(first);
    case 'LOAD':
      return admin(w(1) === 'DATA' || w(1) === 'XML' ? `LOAD ${w(1)}` : 'LOAD library');
    case 'COPY':
      if (has('PROGRAM')) return admin('COPY … PROGRAM');
      return has('STDIN') || has('STDOUT') ? write('COPY') : admin('COPY … file');
    case 'SET': {
      if (w(1) === 'GLOBAL' || w(1) === 'PERSIST' || w(1) === 'PERSIST_ONLY' || words.some((x) => x.startsWith('@@GLOBAL') || x.startsWith('@@PERSIST')))
        return admin(`SET ${w(1).startsWith('@@') ? '@@GLOBAL' : w(1)}`);
      if (w(1) === 'PASSWORD' || (w(1) === 'DEFAULT' && w(2) === 'ROLE')) return admin(`SET ${w(1)}`);
      return read('SET');
    }
    case 'RESET':
      return w(1) === 'MASTER' || w(1) === 'SLAVE' || w(1) === 'REPLICA' || w(1) === 'BINARY' || w(1) === 'PERSIST' ? admin(`RESET ${w(1)}`) : read('RESET');
    case 'START':
    case 'STOP':
      return w(1) === 'SLAVE' || w(1) === 'REPLICA' || w(1) === 'GROUP_REPLICATION' ? admin(`${first} ${w(1)}`) : read(first);
    case 'CREATE':
    case 'ALTER':
    case 'DROP': {
      let k = 1;
      while (CREATE_MODIFIERS.has(w(k))) k++;
      const object = w(k);
      if (first === 'ALTER' && object === 'SYSTEM') return admin('ALTER SYSTEM');
      if (ADMIN_OBJECTS.has(object)) return admin(`${first} ${object}`);
      // A function in C (or internal) loads code into the server.
      const language = words.indexOf('LANGUAGE');
      if (
        first === 'CREATE' &&
        (object === 'FUNCTION' || object === 'PROCEDURE') &&
        language > 0 &&
        (w(language + 1) === 'C' || w(language + 1) === 'INTERNAL')
      )
        return admin(`CREATE ${object} … LANGUAGE ${w(language + 1)}`);
      if (object === 'USER' && w(k + 1) === 'MAPPING') return admin(`${first} USER MAPPING`);
      if (first === 'DROP') return ddl(`DROP ${object}`, true);
      if (first === 'ALTER' && (has('DROP') || has('RENAME'))) return ddl(`ALTER ${object} … ${has('DROP') ? 'DROP' : 'RENAME'}`, true);
      return ddl(`${first} ${object}`.trim());
    }
    case 'TRUNCATE':
    case 'RENAME':
      return ddl(first, true);
    case 'COMMENT':
    case 'REFRESH':
    case 'IMPORT':
      return ddl(first);
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'REPLACE':
    case 'UPSERT':
    case 'CALL':
    case 'DO':
    case 'LOCK':
    case 'VACUUM':
    case 'ANALYZE':
    case 'ANALYSE':
    case 'CLUSTER':
    case 'REINDEX':
    case 'OPTIMIZE':
    case 'REPAIR':
      return write(first);
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
    case 'TABLE':
    case '(': {
      const into = words.indexOf('INTO');
      if (into >= 0 && (w(into + 1) === 'OUTFILE' || w(into + 1) === 'DUMPFILE')) return admin(`SELECT … INTO ${w(into + 1)}`);
      if (first === 'WITH' && words.some((x) => x === 'INSERT' || x === 'UPDATE' || x === 'DELETE' || x === 'MERGE')) return write('WITH … writes');
      // PostgreSQL's SELECT … INTO new_table (not MySQL's INTO @variable, kept out by the scanner).
      if (into >= 0 && first === 'SELECT' && w(into + 1) !== '' && !w(into + 1).startsWith('@')) return ddl('SELECT … INTO table');
      return read(first === '(' ? 'SELECT' : first);
    }
    case 'EXPLAIN': {
      // EXPLAIN ANALYZE runs the statement.
      if (!has('ANALYZE') && !has('ANALYSE')) return read('EXPLAIN');
      const inner = words.findIndex((x, i) => i > 0 && STATEMENT_WORDS.has(x));
      return inner < 0 ? read('EXPLAIN') : classifyWords(words.slice(inner));
    }
    default:
      return read(first || 'empty');
  }
}

const ADMIN_OBJECTS = new Set([
  'USER',
  'ROLE',
  'GROUP',
  'DATABASE',
  'TABLESPACE',
  'SERVER',
  'EXTENSION',
  'SUBSCRIPTION',
  'PUBLICATION',
  'LANGUAGE',
  'LOGFILE',
  'PLUGIN',
  'EVENT',
  'RESOURCE',
  'FOREIGN',
]);
const CREATE_MODIFIERS = new Set([
  'OR',
  'REPLACE',
  'TEMP',
  'TEMPORARY',
  'UNLOGGED',
  'GLOBAL',
  'LOCAL',
  'UNIQUE',
  'IF',
  'NOT',
  'EXISTS',
  'MATERIALIZED',
  'RECURSIVE',
  'DEFINER',
  'SQL',
  'SECURITY',
  'INVOKER',
  'ALGORITHM',
  'UNDEFINED',
  'MERGE',
  'TEMPTABLE',
  'ONLINE',
  'OFFLINE',
  'IGNORE',
  'DEFAULT',
  'TRUSTED',
  'PROCEDURAL',
  'CONSTRAINT',
  'AGGREGATE',
  'FULLTEXT',
  'SPATIAL',
  'CONCURRENTLY',
  'VIRTUAL',
  '@',
  'CURRENT_USER',
  '=',
]);
const STATEMENT_WORDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'WITH', 'CREATE', 'VALUES', 'TABLE', 'EXECUTE']);
const ADMIN_FUNCTIONS = new Set([
  'PG_READ_FILE',
  'PG_READ_BINARY_FILE',
  'PG_WRITE_FILE',
  'PG_LS_DIR',
  'PG_STAT_FILE',
  'PG_FILE_WRITE',
  'PG_FILE_UNLINK',
  'PG_FILE_RENAME',
  'LO_IMPORT',
  'LO_EXPORT',
  'PG_TERMINATE_BACKEND',
  'PG_CANCEL_BACKEND',
  'PG_RELOAD_CONF',
  'PG_ROTATE_LOGFILE',
  'PG_PROMOTE',
  'PG_SWITCH_WAL',
  'PG_CREATE_RESTORE_POINT',
  'SET_CONFIG',
  'DBLINK',
  'DBLINK_EXEC',
  'DBLINK_CONNECT',
  'LOAD_FILE',
  'SYS_EXEC',
  'SYS_EVAL',
]);

/** How much of a statement is read: a classifying keyword is never further in. */
const MAX_CHARACTERS = 4_096;

/**
 * The statement's words, upper-cased, in order, as the normalizer's scanner leaves the text:
 * comments dropped, every literal a placeholder; quoted names are skipped too, and `(` is kept as
 * a word when the statement opens with it.
 */
function keywords(sql: string, dialect: ScanDialect): string[] {
  const text = scanSql(sql.length > MAX_CHARACTERS ? sql.slice(0, MAX_CHARACTERS) : sql, dialect).sql.replace(QUOTED_NAME, ' ');
  const words = (text.match(WORD) ?? []).map((word) => {
    const upper = word.toUpperCase();
    // schema.function: the function's name counts (pg_catalog.pg_read_file).
    const dot = upper.lastIndexOf('.');
    return dot >= 0 && !upper.startsWith('@') ? upper.slice(dot + 1) : upper;
  });
  if (text.trimStart().startsWith('(')) words.unshift('(');
  return words;
}

const QUOTED_NAME = /"(?:[^"]|"")*"|`(?:[^`]|``)*`/g;
const WORD = /[A-Za-z_@][A-Za-z0-9_$@.]*/g;
