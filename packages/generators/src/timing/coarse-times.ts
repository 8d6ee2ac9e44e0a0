import { clockTick, Prng, StbError, type TraceEvent } from '@sqltrace/core';

interface Run {
  /** The tick the run's logged times share (µs). */
  readonly tick: number;
  /** Whether the logged time is the statement's end (start = end − duration) rather than its start. */
  readonly atEnd: boolean;
  readonly events: TraceEvent[];
}

/**
 * Times known only to a clock tick of `resolutionUs` become times within their tick: the
 * statements of a session that share one tick are spread over it in order — the k-th of n at
 * tick + (k + ½ + (u − ½)/n)·resolution/n, u uniform — so the gaps learned from a millisecond or a
 * one-second log are neither negative nor piled up on the grid, and their mean is kept. A
 * session's run is held until its next tick begins (memory: one tick per session).
 *
 * Throws when an event's time lies on no tick of that resolution: the trace's header claims a
 * coarser clock than its times have.
 */
export async function* spreadCoarseTimes(events: AsyncIterable<TraceEvent>, resolutionUs: number, name: string, seed = 'coarse-times'): AsyncGenerator<TraceEvent> {
  if (!(resolutionUs > 1)) {
    yield* events;
    return;
  }
  const prng = new Prng(seed);
  const runs = new Map<string, Run>();
  let index = 0;
  for await (const event of events) {
    index++;
    const at = clockTick(event, resolutionUs);
    if (at === undefined) {
      throw new StbError('E_INPUT', `${name}: event ${index} (ts ${event.ts}) is not on the ${resolutionUs} µs clock the trace header claims (resolutionUs)`, {
        hint: 'Correct or remove "resolutionUs" in the trace header, or parse the log again with stb parse',
      });
    }
    const { tick, atEnd } = at;
    const run = runs.get(event.session);
    if (run !== undefined && run.tick === tick && run.atEnd === atEnd) {
      run.events.push(event);
      continue;
    }
    if (run !== undefined) yield* spread(run, resolutionUs, prng);
    runs.set(event.session, { tick, atEnd, events: [event] });
  }
  for (const run of runs.values()) yield* spread(run, resolutionUs, prng);
}

function* spread(run: Run, resolutionUs: number, prng: Prng): Generator<TraceEvent> {
  const n = run.events.length;
  for (let k = 0; k < n; k++) {
    const event = run.events[k]!;
    // The middle of its share of the tick, moved at random by up to half a share over n: a lone
    // statement lands anywhere in its tick, many keep their spacing (random shares would swing
    // each gap between none and two shares, and the gaps clamped at 0 would pile up there).
    const logged = run.tick + Math.floor(((k + 0.5 + (prng.next() - 0.5) / n) * resolutionUs) / n);
    yield { ...event, ts: run.atEnd ? logged - event.durationUs! : logged };
  }
}
