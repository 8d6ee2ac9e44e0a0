import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { corpus } from '@sqltrace/fixtures/src/corpora';

const PARSER_FIXTURES = join(__dirname, '..', '..', '..', 'packages', 'parser', 'test', 'fixtures');
const DEMO_LOG = join(__dirname, '..', '..', '..', 'packages', 'cli', 'assets', 'demo', 'shop-postgres.log');

/** A fixture of the parser's tests (libpg_query and pgreplay data, permissively licensed). */
export function parserFixture(name: string): string {
  return join(PARSER_FIXTURES, name);
}

export const demoLog = DEMO_LOG;

/** The `input` of every case of a `{cases: [{input}]}` file. */
export function caseInputs(path: string): string[] {
  const { cases } = JSON.parse(readFileSync(path, 'utf8')) as { cases: { input?: string; query?: string }[] };
  return cases.map((c) => c.input ?? c.query).filter((s): s is string => typeof s === 'string' && s.length < 20_000);
}

/** The lines of a log (plain, .gz or .bz2), the first `max` of them. */
export function logLines(path: string, max = 3_000): string[] {
  const bytes = path.endsWith('.gz')
    ? gunzipSync(readFileSync(path))
    : path.endsWith('.bz2')
      ? execFileSync('bzip2', ['-dc', path], { maxBuffer: 256 << 20 })
      : readFileSync(path);
  return bytes.toString('utf8').split('\n').slice(0, max);
}

/** Statements of the demo shop log (PostgreSQL). */
export function demoStatements(): string[] {
  return logLines(DEMO_LOG)
    .map((l) => /statement: (.*)$/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

export { corpus };
