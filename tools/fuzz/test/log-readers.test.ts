import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isStbError } from '@sqltrace/core';
import { corporaDescribe } from '@sqltrace/fixtures/src/corpora';
import { LogParser, type LogFormat } from '@sqltrace/parser';
import { fuzz } from '../src/fuzz-run';
import { mutatedLines } from '../src/mutations';
import { corpus, demoLog, logLines, parserFixture } from '../src/seeds';

/**
 * Every log reader on mutations of real logs' lines (dropped, doubled, swapped, joined, cut, with
 * quotes, escapes, control and wide characters spliced in): no crash other than a clear error, no
 * hang, and every line accounted for — used + skipped = read.
 */
const describeCorpora = corporaDescribe('fuzz');
const dir = mkdtempSync(join(tmpdir(), 'stb-fuzz-logs-'));
let file = 0;
let refused = 0;

async function parse(text: string, format: LogFormat | 'auto', extension: string): Promise<void> {
  const path = join(dir, `input-${file++ % 8}${extension}`);
  writeFileSync(path, text);
  const parser = new LogParser(path, { format, dialect: format === 'sql' ? 'mysql' : undefined });
  let events = 0;
  try {
    for await (const batch of parser.batches()) events += batch.length;
  } catch (error) {
    // A clear error naming the input is a fine outcome for garbage; anything else is a bug.
    if (isStbError(error) && error.message.includes(path)) {
      refused++;
      return;
    }
    throw error;
  }
  const s = parser.summary;
  expect([s.usedLines + s.skippedLines, s.events]).toEqual([s.totalLines, events]);
}

const TARGETS: { name: string; seeds: () => string[]; format: LogFormat | 'auto'; extension: string }[] = [
  { name: 'pg-stderr', seeds: () => [...logLines(parserFixture('errlog')), ...logLines(demoLog, 400)], format: 'pg-stderr', extension: '.log' },
  { name: 'pg-stderr (syslog)', seeds: () => logLines(corpus('pgbadger', 'pg-syslog.1.bz2'), 2_000), format: 'auto', extension: '.log' },
  { name: 'pg-csv', seeds: () => logLines(parserFixture('csvlog')), format: 'pg-csv', extension: '.csv' },
  { name: 'pg-json', seeds: () => logLines(corpus('pgbadger', 'cnpg.log.gz'), 2_000), format: 'pg-json', extension: '.json' },
  {
    name: 'mysql-general',
    seeds: () => [1, 2, 3, 4, 5].flatMap((k) => logLines(corpus('percona-toolkit', 'genlogs', `genlog00${k}.txt`))),
    format: 'mysql-general',
    extension: '.log',
  },
  {
    name: 'mysql-slow',
    seeds: () => [1, 2, 3].flatMap((k) => logLines(corpus('percona-go-mysql', 'slow-logs', `slow00${k}.log`))),
    format: 'mysql-slow',
    extension: '.log',
  },
  { name: 'sql', seeds: () => logLines(corpus('libpg_query', 'postgres_regress', 'strings.sql'), 2_000), format: 'sql', extension: '.sql' },
];

describeCorpora('fuzz: the log readers', () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))(
    '%s',
    async (name, target) => {
      const seeds = target.seeds();
      expect(seeds.length).toBeGreaterThan(20);
      const arbitrary = fc.tuple(mutatedLines(seeds), fc.boolean()).map(([lines, newline]) => lines.join('\n') + (newline ? '\n' : ''));
      refused = 0;
      const runs = await fuzz(`log reader ${name}`, arbitrary, (text) => parse(text, target.format, target.extension));
      process.stdout.write(`fuzz log reader ${name}: ${refused} of ${runs} inputs refused with a clear error, the rest parsed with every line accounted for\n`);
      expect(runs).toBeGreaterThan(20);
      // Most mutations still read as logs: the property is exercised, not short-circuited by errors.
      expect(refused / runs).toBeLessThan(0.5);
    },
    120_000,
  );
});
