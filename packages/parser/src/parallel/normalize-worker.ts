import { parentPort, workerData } from 'node:worker_threads';
import { TraceFileSink } from '@sqltrace/core';
import { unpackEvents, type PackedEvents } from '@sqltrace/core/internal';
import { Normalizer } from '../normalizer/normalizer';
import { normalizeAndEncode } from './normalize-event';

/**
 * Worker entry for NormalizePipeline: normalizes and encodes batches of raw events and writes
 * them — and the already-encoded batches the main thread did itself — to the output, in the
 * order they arrive (postMessage is FIFO), so the main thread never encodes output bytes.
 */
type Message =
  | { kind: 'events'; id: number; packed: PackedEvents }
  | { kind: 'text'; id: number; text: string; count: number }
  | { kind: 'reset'; id: number }
  | { kind: 'close'; id: number };

const { dialect, output } = workerData as { dialect: 'postgres' | 'mysql' | 'sqlite'; output: string };
const normalizer = new Normalizer({ dialect });
let seen = new Set<string>(); // templates of the current input, reported once each
const sink = new TraceFileSink(output);
let queue: Promise<void> = Promise.resolve();

parentPort!.on('message', (message: Message) => {
  queue = queue.then(async () => {
    try {
      if (message.kind === 'reset') {
        seen = new Set();
        parentPort!.postMessage({ id: message.id });
        return;
      }
      if (message.kind === 'close') {
        await sink.close();
        parentPort!.postMessage({ id: message.id });
        return;
      }
      if (message.kind === 'text') {
        await sink.writeEncoded(message.text, message.count);
        parentPort!.postMessage({ id: message.id, newTemplates: [] });
        return;
      }
      const events = unpackEvents(message.packed);
      const { text, newTemplates } = normalizeAndEncode(events, normalizer, seen);
      await sink.writeEncoded(text, events.length);
      parentPort!.postMessage({ id: message.id, newTemplates });
    } catch (error) {
      const e = error as Error & { hint?: string; code?: string };
      parentPort!.postMessage({ id: message.id, error: String(e?.message ?? error), hint: e?.hint, code: e?.code });
    }
  });
});
