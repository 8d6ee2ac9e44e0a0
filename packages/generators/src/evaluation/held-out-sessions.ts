import type { Dialect, TraceEvent } from '@sqltrace/core';
import { Normalizer } from '@sqltrace/parser';

/** One session of a held-out trace: its statements' template ids and idle times (µs; −1 first). */
export interface HeldOutSession {
  readonly templateIds: string[];
  readonly gaps: number[];
}

/**
 * Groups a trace's events by session, naming each statement's template as training does (the
 * event's `templateId`, or the normalizer's).
 */
export async function collectSessions(events: AsyncIterable<TraceEvent>, dialect: Dialect): Promise<HeldOutSession[]> {
  const normalizer = new Normalizer({ dialect });
  const sessions = new Map<string, HeldOutSession & { lastEnd: number }>();
  for await (const event of events) {
    const id = event.templateId ?? normalizer.normalize(event.sql, event.params).template.id;
    let session = sessions.get(event.session);
    if (session === undefined) {
      sessions.set(event.session, (session = { templateIds: [], gaps: [], lastEnd: event.ts }));
      session.gaps.push(-1);
    } else {
      session.gaps.push(Math.max(0, event.ts - session.lastEnd));
    }
    session.templateIds.push(id);
    session.lastEnd = event.ts + (event.durationUs ?? 0);
  }
  return [...sessions.values()].map(({ templateIds, gaps }) => ({ templateIds, gaps }));
}
