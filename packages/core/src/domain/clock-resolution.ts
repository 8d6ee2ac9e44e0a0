/** The clock grids a log's timestamps come on, coarsest first (µs): whole seconds, milliseconds, microseconds. */
export const CLOCK_GRIDS: readonly number[] = [1_000_000, 1_000, 1];

/**
 * Whether an event's logged time lies on a clock of `resolutionUs`: its start (a log written as
 * statements begin) or its end (one written as they end, whose start is the logged time minus the
 * duration).
 */
export function onClockGrid(event: { readonly ts: number; readonly durationUs?: number }, resolutionUs: number): boolean {
  if (resolutionUs <= 1) return true;
  if (event.ts % resolutionUs === 0) return true;
  return event.durationUs !== undefined && (event.ts + event.durationUs) % resolutionUs === 0;
}

/**
 * Finds the clock resolution of a stream of events: the coarsest grid of {@link CLOCK_GRIDS}
 * every event's logged time lies on. A millisecond log (PostgreSQL `%m`, csvlog) gives 1,000, a
 * MariaDB general log 1,000,000, a log with microseconds 1.
 */
export class ClockResolution {
  #grid = 0;
  #events = 0;

  add(event: { readonly ts: number; readonly durationUs?: number }): void {
    this.#events++;
    while (this.#grid < CLOCK_GRIDS.length - 1 && !onClockGrid(event, CLOCK_GRIDS[this.#grid]!)) this.#grid++;
  }

  /** Events seen. */
  get events(): number {
    return this.#events;
  }

  /** The resolution in µs, or undefined before any event. */
  get resolutionUs(): number | undefined {
    return this.#events === 0 ? undefined : CLOCK_GRIDS[this.#grid];
  }
}
