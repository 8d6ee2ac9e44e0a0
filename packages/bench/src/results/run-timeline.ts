/**
 * What a run did second by second: operations finished and connections open — the load a
 * database felt over time, to put an original and a synthetic trace's runs side by side.
 */
export interface RunTimelineJson {
  /** Width of one interval (seconds) from the run's start. */
  readonly intervalSeconds: number;
  /** Operations finished in each interval. */
  readonly operations: readonly number[];
  /** The most connections open at once in each interval. */
  readonly openConnections: readonly number[];
}

/** Most intervals kept (a day of seconds); a longer run's later seconds fold into the last. */
const MAX_INTERVALS = 86_400;

/** Records a run's timeline: cheap enough for the per-operation path (an array index). */
export class RunTimeline {
  readonly #start: number;
  readonly #operations: number[] = [];
  readonly #open: number[] = [];
  #current = 0;

  /** `start`: the run's start on the performance clock (ms). */
  constructor(start: number) {
    this.#start = start;
  }

  #index(now: number): number {
    const i = Math.max(0, Math.min(MAX_INTERVALS - 1, Math.floor((now - this.#start) / 1000)));
    while (this.#operations.length <= i) {
      this.#operations.push(0);
      this.#open.push(this.#current);
    }
    return i;
  }

  operation(now: number): void {
    this.#operations[this.#index(now)]!++;
  }

  /** Connections open changed to `open` at `now`. */
  connections(open: number, now: number): void {
    const i = this.#index(now);
    if (open > this.#open[i]!) this.#open[i] = open;
    this.#current = open;
  }

  toJSON(): RunTimelineJson {
    return { intervalSeconds: 1, operations: [...this.#operations], openConnections: [...this.#open] };
  }
}

/** Timelines of parts of one run on one schedule (threads, shards): operations add up, and so do the connections (an upper bound of the most open at once). */
export function mergeTimelines(parts: readonly (RunTimelineJson | undefined)[]): RunTimelineJson | undefined {
  const present = parts.filter((p): p is RunTimelineJson => p !== undefined);
  if (present.length === 0) return undefined;
  const length = Math.max(...present.map((p) => p.operations.length));
  const operations = new Array<number>(length).fill(0);
  const openConnections = new Array<number>(length).fill(0);
  for (const p of present) {
    for (let i = 0; i < length; i++) {
      operations[i]! += p.operations[i] ?? 0;
      openConnections[i]! += p.openConnections[i] ?? p.openConnections[p.openConnections.length - 1] ?? 0;
    }
  }
  return { intervalSeconds: present[0]!.intervalSeconds, operations, openConnections };
}
