import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LogParser, type ParseLogOptions, type ParseSummary } from '@sqltrace/parser';
import type { TraceEvent } from '@sqltrace/core';

export const FIXTURES = join(__dirname, 'fixtures');

/** `../shared/corpora` beside the repository (present on developer machines and in CI). */
export const CORPORA = process.env.STB_CORPORA ?? resolve(__dirname, '../../../../shared/corpora');
export const HAVE_CORPORA = existsSync(CORPORA);

if (!HAVE_CORPORA) {
  const message = `\n!!! ${CORPORA} is missing: the conformance tests that read GPL corpora are SKIPPED !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
  console.warn(message);
}

/** describe() that runs only when the shared corpora are present (loudly skipped otherwise). */
export const describeCorpora = HAVE_CORPORA ? describe : describe.skip;

export function corpus(...parts: string[]): string {
  return join(CORPORA, ...parts);
}

export async function parseAll(path: string, options: ParseLogOptions = {}): Promise<{ events: TraceEvent[]; summary: ParseSummary }> {
  const parser = new LogParser(path, options);
  const events: TraceEvent[] = [];
  for await (const batch of parser.batches()) events.push(...batch);
  return { events, summary: parser.summary };
}

/** Every line read is either used or skipped. */
export function expectAccounted(summary: ParseSummary): void {
  expect(summary.usedLines + summary.skippedLines).toBe(summary.totalLines);
}
