import { Normalizer, scanSql, templateRoundTripProblem } from '@sqltrace/parser';
import { fuzz } from '../src/fuzz-run';
import { mutatedString } from '../src/mutations';
import { caseInputs, corpus, demoStatements, parserFixture } from '../src/seeds';
import { corporaDescribe } from '@sqltrace/fixtures/src/corpora';

/**
 * The SQL scanner and normalizer on mutations of real statements: never a crash or a hang, and
 * a template re-renders to a statement with the same template (what the generators rely on).
 */
const describeCorpora = corporaDescribe('fuzz');

/**
 * Whether every literal, quoted name, comment and parenthesis is closed. A statement that is not
 * (a server rejects it before it runs) is held to no crash and no hang only: the round trip of a
 * string that runs to the end of the text, or of a list never closed, is not defined.
 */
function wellFormed(sql: string, dialect: 'postgres' | 'mysql'): boolean {
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      if (e < 0) return depth === 0;
      i = e + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      if (e < 0) return false;
      i = e + 2;
    } else if (c === "'" || c === '"' || (c === '`' && dialect === 'mysql')) {
      let e = i + 1;
      for (;;) {
        if (e >= sql.length) return false;
        if (sql[e] === '\\' && (dialect === 'mysql' || c === "'")) e += 2;
        else if (sql[e] === c && sql[e + 1] === c) e += 2;
        else if (sql[e] === c) break;
        else e++;
      }
      i = e + 1;
    } else if (c === '$' && dialect === 'postgres' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 40))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 40))![0];
      const e = sql.indexOf(tag, i + tag.length);
      if (e < 0) return false;
      i = e + tag.length;
    } else {
      if (c === '(') depth++;
      else if (c === ')' && --depth < 0) return false;
      i++;
    }
  }
  return depth === 0;
}

function check(normalizer: Normalizer, sql: string): void {
  const started = performance.now();
  const scan = scanSql(sql, normalizer.dialect);
  expect(typeof scan.sql).toBe('string');
  const problem = templateRoundTripProblem(normalizer, sql);
  const ms = performance.now() - started;
  // Linear work: a few KB of SQL is microseconds; a pathological input must not be seconds.
  expect(ms < 250 + sql.length / 100 ? undefined : `${ms.toFixed(0)} ms for ${sql.length} characters`).toBeUndefined();
  if (wellFormed(sql, normalizer.dialect as 'postgres' | 'mysql'))
    expect(problem === undefined ? undefined : `${problem}\n  input: ${JSON.stringify(sql)}`).toBeUndefined();
}

describeCorpora('fuzz: the SQL scanner and normalizer', () => {
  it("PostgreSQL: mutations of libpg_query's cases and the demo shop's statements", async () => {
    const seeds = [
      ...caseInputs(parserFixture('normalize_tests.json')),
      ...caseInputs(parserFixture('fingerprint_tests.json')),
      ...demoStatements().slice(0, 200),
    ];
    const normalizer = new Normalizer({ dialect: 'postgres', analyze: false });
    expect(await fuzz('normalizer (postgres)', mutatedString(seeds), (sql) => check(normalizer, sql))).toBeGreaterThan(100);
  }, 120_000);

  it("MySQL: mutations of pt-fingerprint's and go-mysql's cases", async () => {
    const seeds = [...caseInputs(corpus('percona-toolkit', 'pt-fingerprint-cases.json')), ...caseInputs(corpus('percona-go-mysql', 'fingerprint-cases.json'))];
    const normalizer = new Normalizer({ dialect: 'mysql', analyze: false });
    expect(await fuzz('normalizer (mysql)', mutatedString(seeds), (sql) => check(normalizer, sql))).toBeGreaterThan(100);
  }, 120_000);
});
