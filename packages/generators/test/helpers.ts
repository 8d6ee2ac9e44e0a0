import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TraceEvent, TraceSource } from '@sqltrace/core';
import { LogParser, type ParseLogOptions } from '@sqltrace/parser';

/** `../shared/corpora` beside the repository (present on developer machines and in CI). */
export const CORPORA = process.env.STB_CORPORA ?? resolve(__dirname, '../../../../shared/corpora');
export const HAVE_CORPORA = existsSync(CORPORA);
if (!HAVE_CORPORA) {
  const message = `\n!!! ${CORPORA} is missing: the generator tests on real traces are SKIPPED !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
  console.warn(message);
}
export const describeCorpora = HAVE_CORPORA ? describe : describe.skip;

export function corpus(...parts: string[]): string {
  return join(CORPORA, ...parts);
}

/** The bundled demo log (a synthetic shop workload written by tools/fixtures). */
export const DEMO_LOG = resolve(__dirname, '../../cli/assets/demo/shop-postgres.log');

/** Parses a log with the parser, as `stb parse` would, into events in memory. */
export async function parseLog(path: string, options: ParseLogOptions = {}): Promise<TraceEvent[]> {
  const parser = new LogParser(path, options);
  const events: TraceEvent[] = [];
  for await (const batch of parser.batches()) events.push(...batch);
  return events;
}

/** A trace source over events in memory. */
export function memoryTrace(events: readonly TraceEvent[], dialect = 'postgres', name = 'memory'): TraceSource {
  return {
    name,
    header: async () => ({ version: 1, dialect }),
    events: async function* () {
      yield* events;
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
