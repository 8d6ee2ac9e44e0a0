import { parentPort, workerData } from 'node:worker_threads';
import { Normalizer } from '../normalizer/normalizer';
import type { TraceEvent } from '@sqltrace/core';
import { normalizeAndEncode } from './normalize-event';

// Worker entry: normalizes and encodes batches of raw events sent by NormalizePipeline.
const normalizer = new Normalizer({ dialect: (workerData as { dialect: 'postgres' | 'mysql' | 'sqlite' }).dialect });
const seen = new Set<string>();
parentPort!.on('message', (message: { id: number; events: TraceEvent[] }) => {
  try {
    const result = normalizeAndEncode(message.events, normalizer, seen);
    parentPort!.postMessage({ id: message.id, ...result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: String((error as Error)?.stack ?? error) });
  }
});
