import type { TraceEvent } from '@sqltrace/core';
import { transactionRole } from '../src/sessions/transaction-role';

/**
 * Plain fidelity measures for the tests (the validator package will own the real ones): total
 * variation distance of the template mix and of first-order transitions, two-sample KS of
 * session lengths and think times, and a transaction well-formedness check.
 */

export function bySession(events: readonly TraceEvent[]): Map<string, TraceEvent[]> {
  const sessions = new Map<string, TraceEvent[]>();
  for (const e of events) {
    let s = sessions.get(e.session);
    if (s === undefined) sessions.set(e.session, (s = []));
    s.push(e);
  }
  return sessions;
}

function shares(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const k of keys) {
    counts.set(k, (counts.get(k) ?? 0) + 1);
    total++;
  }
  for (const [k, c] of counts) counts.set(k, c / total);
  return counts;
}

export function tvd(a: Map<string, number>, b: Map<string, number>): number {
  let d = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) d += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return d / 2;
}

export function templateMixTvd(a: readonly TraceEvent[], b: readonly TraceEvent[]): number {
  return tvd(shares(a.map((e) => e.templateId!)), shares(b.map((e) => e.templateId!)));
}

/** Per-state TVD of next-template distributions (END included), weighted by the original's state frequency. */
export function transitionTvd(a: readonly TraceEvent[], b: readonly TraceEvent[]): number {
  const rows = (events: readonly TraceEvent[]) => {
    const next = new Map<string, string[]>();
    for (const session of bySession(events).values()) {
      for (let i = 0; i < session.length; i++) {
        const from = session[i]!.templateId!;
        let row = next.get(from);
        if (row === undefined) next.set(from, (row = []));
        row.push(i + 1 < session.length ? session[i + 1]!.templateId! : '$end');
      }
    }
    return next;
  };
  const ra = rows(a),
    rb = rows(b);
  let total = 0,
    weighted = 0;
  for (const [state, nexts] of ra) {
    const other = rb.get(state);
    total += nexts.length;
    weighted += nexts.length * (other === undefined ? 1 : tvd(shares(nexts), shares(other)));
  }
  return weighted / total;
}

export function ks(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0,
    j = 0,
    d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

export function sessionLengths(events: readonly TraceEvent[]): number[] {
  return [...bySession(events).values()].map((s) => s.length);
}

/** From the end of a statement to the start of the session's next one, µs. */
export function thinkTimes(events: readonly TraceEvent[]): number[] {
  const out: number[] = [];
  for (const session of bySession(events).values()) {
    for (let i = 1; i < session.length; i++) {
      const prev = session[i - 1]!;
      out.push(Math.max(0, session[i]!.ts - (prev.ts + (prev.durationUs ?? 0))));
    }
  }
  return out;
}

/** Sessions that open a transaction they never close, or close one they never opened, or nest BEGINs. */
export function malformedTransactions(events: readonly TraceEvent[]): string[] {
  const bad: string[] = [];
  for (const [id, session] of bySession(events)) {
    let open = false;
    for (const e of session) {
      const role = transactionRole(e.sql);
      if (role === 'begin') {
        if (open) bad.push(`${id}: nested BEGIN`);
        open = true;
      } else if (role === 'end') {
        if (!open) bad.push(`${id}: ${e.sql} outside a transaction`);
        open = false;
      }
    }
    if (open) bad.push(`${id}: left a transaction open`);
  }
  return bad;
}
