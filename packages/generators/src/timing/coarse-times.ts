import { clockTick, Prng, StbError, type TraceEvent } from '@sqltrace/core';

interface Run {
  /** The tick the run's logged times share (µs). */
  readonly tick: number;
  /** Whether the logged time is the statement's end (start = end − duration) rather than its start. */
  readonly atEnd: boolean;
  readonly events: TraceEvent[];
}

/** Whole ticks counted before the share of the log's first tick is judged. */
const TICKS_TO_JUDGE_FIRST = 3;
/** Events held back at most while the first tick is judged (then it is judged on what was seen). */
const MAX_HELD = 200_000;
/**
 * A session's run whose tick is this many ticks behind the log's latest is complete (logs are in
 * order but for the lines of one tick): it is spread and let go, so that the runs held stay those
 * of recent ticks, not the last one of every session the log has seen.
 */
const TICKS_TO_COMPLETE = 2;
/** Runs held before the first sweep for completed ones (then twice as many as the last sweep left). */
const MIN_SWEEP = 4_096;
/**
 * A session's last end is kept this long (µs, and at least 64 ticks) after it: a later statement
 * that took longer than that, logged at its end, might otherwise be placed to start before it.
 */
const ENDS_KEPT_US = 60_000_000;
/** Whole ticks whose counts stand for the rate at the log's last tick. */
const RECENT_TICKS = 5;

/**
 * Times known only to a clock tick of `resolutionUs` become times within their tick: the
 * statements of a session that share one tick are spread over it in order — the k-th of n at
 * tick + (k + ½ + (u − ½)/n)·resolution/n, u uniform — so the gaps learned from a millisecond or a
 * one-second log are neither negative nor piled up on the grid, and their mean is kept. A
 * session's run is held until its next tick begins or the log is two ticks past it (memory: the
 * runs of the sessions active in the last few ticks).
 *
 * A log starts and ends inside a tick: its first tick holds only the statements after the log
 * began, its last only those before it ended. Their statements are spread over the share of the
 * tick they filled at the rate of the whole ticks beside them — the end of the first tick, the
 * start of the last — not over the whole tick (a ten-second general log switched on mid-second
 * otherwise learns a rate ~10% low). The first tick's runs, and what follows them, are held
 * until a few whole ticks have been counted.
 *
 * Throws when an event's time lies on no tick of that resolution: the trace's header claims a
 * coarser clock than its times have.
 */
export async function* spreadCoarseTimes(
  events: AsyncIterable<TraceEvent>,
  resolutionUs: number,
  name: string,
  seed = 'coarse-times',
): AsyncGenerator<TraceEvent> {
  if (!(resolutionUs > 1)) {
    yield* events;
    return;
  }
  const prng = new Prng(seed);
  const runs = new Map<string, Run>();
  /** Each session's last statement's end as spread: the next one starts no earlier. */
  const ends = new Map<string, number>();
  const ticks = new TickCounts();
  /** Completed runs held until the first tick's share is known (undefined once it is). */
  let held: Run[] | undefined = [];
  let heldEvents = 0;
  let firstShare = 1;
  let index = 0;
  let sweepAt = MIN_SWEEP;
  for await (const event of events) {
    index++;
    const at = clockTick(event, resolutionUs);
    if (at === undefined) {
      throw new StbError('E_INPUT', `${name}: event ${index} (ts ${event.ts}) is not on the ${resolutionUs} µs clock the trace header claims (resolutionUs)`, {
        hint: 'Correct or remove "resolutionUs" in the trace header, or parse the log again with stb parse',
      });
    }
    const { tick, atEnd } = at;
    ticks.count(tick);
    if (held !== undefined && (ticks.wholeTicksSeen >= TICKS_TO_JUDGE_FIRST || heldEvents >= MAX_HELD)) {
      firstShare = ticks.firstShare();
      for (const r of held) yield* spread(r, resolutionUs, prng, r.tick === ticks.first ? firstShare : 1, 'end', ends);
      held = undefined;
    }
    if (held === undefined && runs.size >= sweepAt) {
      yield* sweep(runs, ends, ticks, resolutionUs, prng, firstShare);
      sweepAt = Math.max(MIN_SWEEP, 2 * runs.size);
    }
    const run = runs.get(event.session);
    if (run !== undefined && run.tick === tick && run.atEnd === atEnd) {
      run.events.push(event);
      continue;
    }
    runs.set(event.session, { tick, atEnd, events: [event] });
    if (run === undefined) continue;
    if (held === undefined) {
      yield* spread(run, resolutionUs, prng, 1, 'whole', ends);
      continue;
    }
    held.push(run);
    heldEvents += run.events.length;
  }
  // The log's end: what was held (a short log), then each session's last run.
  const lastShare = ticks.lastShare();
  if (held !== undefined) {
    firstShare = ticks.firstShare();
    for (const r of held) yield* spread(r, resolutionUs, prng, r.tick === ticks.first ? firstShare : 1, 'end', ends);
  }
  for (const run of runs.values()) {
    const share = run.tick === ticks.last && run.tick !== ticks.first ? lastShare : run.tick === ticks.first && ticks.last !== ticks.first ? firstShare : 1;
    yield* spread(run, resolutionUs, prng, share, run.tick === ticks.last ? 'start' : 'end', ends);
  }
}

/**
 * Spreads and lets go the runs of sessions whose tick is complete, and forgets the ends of
 * sessions long idle: what a log of many short sessions (pgbench -C) would otherwise hold until
 * its end, one run per session.
 */
function* sweep(
  runs: Map<string, Run>,
  ends: Map<string, number>,
  ticks: TickCounts,
  resolutionUs: number,
  prng: Prng,
  firstShare: number,
): Generator<TraceEvent> {
  const complete = ticks.last! - TICKS_TO_COMPLETE * resolutionUs;
  for (const [session, run] of runs) {
    if (run.tick >= complete) continue;
    runs.delete(session);
    yield* spread(run, resolutionUs, prng, run.tick === ticks.first ? firstShare : 1, 'end', ends);
  }
  const forgotten = ticks.last! - Math.max(ENDS_KEPT_US, 64 * resolutionUs);
  for (const [session, end] of ends) if (end < forgotten && !runs.has(session)) ends.delete(session);
}

/** Events per tick: the log's first and last ticks, and the whole ones counted beside them. */
class TickCounts {
  first: number | undefined;
  last: number | undefined;
  #firstCount = 0;
  #lastCount = 0;
  /** Counts of the whole ticks after the first (up to a few), and of the most recent whole ones. */
  readonly #early: number[] = [];
  readonly #recent: number[] = [];

  get wholeTicksSeen(): number {
    return this.#early.length;
  }

  count(tick: number): void {
    if (this.first === undefined) this.first = this.last = tick;
    if (tick === this.last) {
      this.#lastCount++;
      return;
    }
    if (tick < this.last!) return; // a late line of an earlier tick (logs are in order but for runs)
    // The tick before this one is now complete.
    if (this.last === this.first) this.#firstCount = this.#lastCount;
    else {
      if (this.#early.length < TICKS_TO_JUDGE_FIRST) this.#early.push(this.#lastCount);
      this.#recent.push(this.#lastCount);
      if (this.#recent.length > RECENT_TICKS) this.#recent.shift();
    }
    this.last = tick;
    this.#lastCount = 1;
  }

  /** The share of the first tick the log covered: its count against the whole ticks after it. */
  firstShare(): number {
    const count = this.last === this.first ? this.#lastCount : this.#firstCount;
    return share(count, median(this.#early));
  }

  /** The share of the last tick the log covered: its count against the whole ticks before it. */
  lastShare(): number {
    return share(this.#lastCount, median(this.#recent));
  }
}

function share(count: number, whole: number | undefined): number {
  if (whole === undefined || !(whole > 0)) return 1;
  return Math.min(1, Math.max(count / whole, 1 / 64));
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Spreads a run over `share` of its tick: at the tick's end ('end', the log began inside it),
 * its start ('start', the log ended inside it), or the whole tick. A statement starts no earlier
 * than its session's last one ended (`ends`, kept up to date): a session runs one statement at a
 * time, so that is all the clock left unknown. Placed without it, a statement a fraction of a
 * tick after the last one, in the next tick, often came out before it — a negative think time,
 * clamped to 0 — and the think times learned from a millisecond log came out ~0.7 ms long on
 * average (pgbench -C's 7-statement sessions 5 ms too long: session-duration 0.10, FAIL).
 */
function* spread(run: Run, resolutionUs: number, prng: Prng, share: number, side: 'end' | 'start' | 'whole', ends: Map<string, number>): Generator<TraceEvent> {
  const n = run.events.length;
  const width = resolutionUs * share;
  const from = run.tick + (side === 'end' ? resolutionUs - width : 0);
  const last = run.tick + resolutionUs - 1;
  for (let k = 0; k < n; k++) {
    const event = run.events[k]!;
    const duration = event.durationUs ?? 0;
    // The middle of its share of the interval, moved at random by up to half a share over n: a
    // lone statement lands anywhere in it, many keep their spacing (random shares would swing
    // each gap between none and two shares, and the gaps clamped at 0 would pile up there).
    let logged = Math.min(last, from + Math.floor(((k + 0.5 + (prng.next() - 0.5) / n) * width) / n));
    const previous = ends.get(event.session);
    if (previous !== undefined) {
      // The earliest time it can have been logged at: started when the last one ended.
      const earliest = run.atEnd ? previous + duration : previous;
      if (logged < earliest && earliest <= last) logged = earliest + Math.floor((prng.next() * (last - earliest + 1)) / Math.max(1, n - k));
    }
    const ts = run.atEnd ? logged - duration : logged;
    ends.set(event.session, Math.max(previous ?? -Infinity, ts + duration));
    yield { ...event, ts };
  }
}
