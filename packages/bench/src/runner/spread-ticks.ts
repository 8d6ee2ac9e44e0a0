import { clockTick, type TraceEvent, type TraceSource } from '@sqltrace/core';

/** The most statements of one tick held to spread them (a bigger tick is spread in parts). */
const MAX_TICK_EVENTS = 200_000;

/**
 * A coarse trace for replay: the statements that share one clock tick (a MariaDB general log's
 * second, a millisecond log's millisecond) are spread evenly over it, in log order — so they are
 * sent across the second as they ran, not in one burst at its start. A session's statements keep
 * their order (they are in log order). Times that are not on the tick pass through as they are.
 */
export function spreadTicks(trace: TraceSource, resolutionUs: number): TraceSource {
  return {
    name: trace.name,
    ...(trace.header ? { header: trace.header.bind(trace) } : {}),
    async *events(options) {
      let tick = NaN;
      let held: { event: TraceEvent; atEnd: boolean }[] = [];
      const release = function* () {
        const n = held.length;
        for (let k = 0; k < n; k++) {
          const { event, atEnd } = held[k]!;
          const logged = tick + Math.floor((k * resolutionUs) / n);
          yield { ...event, ts: atEnd ? logged - event.durationUs! : logged };
        }
        held = [];
      };
      for await (const event of trace.events(options)) {
        const at = clockTick(event, resolutionUs);
        if (at === undefined) {
          yield* release();
          yield event;
          continue;
        }
        if (at.tick !== tick || held.length >= MAX_TICK_EVENTS) {
          yield* release();
          tick = at.tick;
        }
        held.push({ event, atEnd: at.atEnd });
      }
      yield* release();
    },
  };
}
