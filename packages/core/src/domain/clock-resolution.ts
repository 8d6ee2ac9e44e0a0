import type { TraceHeader } from './trace-event';

/** The clock grids a log's timestamps come on, coarsest first (µs): whole seconds, milliseconds, microseconds. */
const CLOCK_GRIDS: readonly number[] = [1_000_000, 1_000, 1];

/**
 * The tick of a clock of `resolutionUs` an event's logged time lies on: its start (a log written
 * as statements begin) or its end (one written as they end, whose start is the logged time minus
 * the duration) — or undefined when neither is on the clock.
 */
export function clockTick(
  event: { readonly ts: number; readonly durationUs?: number },
  resolutionUs: number,
): { readonly tick: number; readonly atEnd: boolean } | undefined {
  if (event.ts % resolutionUs === 0) return { tick: event.ts, atEnd: false };
  if (event.durationUs !== undefined && (event.ts + event.durationUs) % resolutionUs === 0) return { tick: event.ts + event.durationUs, atEnd: true };
  return undefined;
}

/** Whether an event's logged time lies on a clock of `resolutionUs` (see {@link clockTick}). */
export function onClockGrid(event: { readonly ts: number; readonly durationUs?: number }, resolutionUs: number): boolean {
  // (Called for every event a parser reads: no object made here.)
  if (resolutionUs <= 1 || event.ts % resolutionUs === 0) return true;
  return event.durationUs !== undefined && (event.ts + event.durationUs) % resolutionUs === 0;
}

/** A trace header's clock resolution: its `resolutionUs` when that is a whole number of µs above 1, else 1. */
export function headerResolution(header: TraceHeader | undefined): number {
  const r = header?.resolutionUs;
  return typeof r === 'number' && Number.isInteger(r) && r > 1 ? r : 1;
}

/**
 * Finds the clock resolution of a stream of events: the coarsest grid of whole seconds,
 * milliseconds or microseconds every event's logged time lies on. A millisecond log (PostgreSQL
 * `%m`, csvlog) gives 1,000, a MariaDB general log 1,000,000, a log with microseconds 1.
 */
export class ClockResolution {
  #grid = 0;
  #seen = false;

  add(event: { readonly ts: number; readonly durationUs?: number }): void {
    this.#seen = true;
    while (this.#grid < CLOCK_GRIDS.length - 1 && !onClockGrid(event, CLOCK_GRIDS[this.#grid]!)) this.#grid++;
  }

  /** The resolution in µs, or undefined before any event. */
  get resolutionUs(): number | undefined {
    return this.#seen ? CLOCK_GRIDS[this.#grid] : undefined;
  }
}
