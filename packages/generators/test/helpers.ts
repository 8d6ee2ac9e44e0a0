import { resolve } from 'node:path';
import { corporaDescribe } from '@sqltrace/fixtures/src/corpora';
import type { TraceEvent, TraceSource } from '@sqltrace/core';
import { LogParser, type ParseLogOptions } from '@sqltrace/parser';

export { corpus } from '@sqltrace/fixtures/src/corpora';
export const describeCorpora = corporaDescribe('generator');

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
