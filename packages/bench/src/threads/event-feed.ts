import { type TraceEvent, type TraceSource } from '@sqltrace/core';
import { unpackEvents, type PackedEvents } from '@sqltrace/core/internal';

/**
 * The trace as a benchmark thread of a threaded replay sees it: its sessions' events, arriving in
 * packed batches from the thread that reads the trace. `onConsumed` hears each batch taken, so
 * the reader can keep a bounded number in flight.
 */
export class EventFeed implements TraceSource {
  readonly name: string;
  readonly #batches: PackedEvents[] = [];
  readonly #onConsumed: () => void;
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(name: string, onConsumed: () => void) {
    this.name = name;
    this.#onConsumed = onConsumed;
  }

  push(batch: PackedEvents): void {
    this.#batches.push(batch);
    this.#wake?.();
  }

  /** No more batches will come. */
  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *events(): AsyncGenerator<TraceEvent> {
    for (;;) {
      const batch = this.#batches.shift();
      if (batch !== undefined) {
        const events = unpackEvents(batch);
        this.#onConsumed();
        yield* events;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
