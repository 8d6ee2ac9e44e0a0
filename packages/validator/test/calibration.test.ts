import type { TraceEvent } from '@sqltrace/core';
import { LogParser } from '@sqltrace/parser';
import { WorkloadValidator, type FidelityReportJson, type PropertyName } from '@sqltrace/validator';
import { corpus, describeCorpora } from './helpers';

/**
 * Power and calibration on a real trace: two halves of the AWS RDS log (split by session) must
 * pass; the same halves with one property changed on purpose must fail on that property.
 */
async function parse(path: string): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  for await (const batch of new LogParser(path).batches()) events.push(...batch);
  return events;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function verdicts(report: FidelityReportJson): Record<string, boolean> {
  return Object.fromEntries(report.properties.map((p) => [p.property, p.passed]));
}

function expectOnly(report: FidelityReportJson, failing: PropertyName[], unaffected: PropertyName[]): void {
  const v = verdicts(report);
  for (const p of failing) expect([p, v[p]]).toEqual([p, false]);
  for (const p of unaffected) expect([p, v[p]]).toEqual([p, true]);
}

/** 10% of the events, picked evenly, become executions of the most frequent template. */
function shiftMix(events: readonly TraceEvent[]): TraceEvent[] {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.templateId!, (counts.get(e.templateId!) ?? 0) + 1);
  const top = [...counts].sort((x, y) => y[1] - x[1])[0]![0];
  const example = events.find((e) => e.templateId === top)!;
  return events.map((e, i) => (i % 10 === 0 && e.templateId !== top ? { ...e, sql: example.sql, params: example.params, templateId: top } : e));
}

/** Every think time (end of a statement to the next start in its session) doubled. */
function doubleThinkTimes(events: readonly TraceEvent[]): TraceEvent[] {
  const doubled: TraceEvent[] = [];
  const last = new Map<string, { orig: number; end: number; now: number }>();
  for (const e of events) {
    const prev = last.get(e.session);
    const ts = prev === undefined ? e.ts : prev.now + (prev.end - prev.orig) + 2 * Math.max(0, e.ts - prev.end);
    last.set(e.session, { orig: e.ts, end: e.ts + (e.durationUs ?? 0), now: ts });
    doubled.push({ ...e, ts });
  }
  return doubled.sort((x, y) => x.ts - y.ts);
}

/** Drops a template of a few percent of the statements that many sessions run; returns it too. */
function removeTemplate(events: readonly TraceEvent[]): { events: TraceEvent[]; victim: string } {
  const sessions = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const e of events) {
    counts.set(e.templateId!, (counts.get(e.templateId!) ?? 0) + 1);
    if (!sessions.has(e.templateId!)) sessions.set(e.templateId!, new Set());
    sessions.get(e.templateId!)!.add(e.session);
  }
  const victim = [...counts]
    .filter(([t, n]) => n / events.length < 0.04 && sessions.get(t)!.size >= 10)
    .sort((x, y) => sessions.get(y[0])!.size - sessions.get(x[0])!.size)[0]![0];
  return { events: events.filter((e) => e.templateId !== victim), victim };
}

function halves(all: readonly TraceEvent[]): [TraceEvent[], TraceEvent[]] {
  return [all.filter((e) => hash(e.session) % 2 === 0), all.filter((e) => hash(e.session) % 2 === 1)];
}

describeCorpora('calibration and power on the AWS RDS log', () => {
  let a: TraceEvent[];
  let b: TraceEvent[];
  const validator = new WorkloadValidator();

  beforeAll(async () => {
    [a, b] = halves(await parse(corpus('pgbadger', 'rds.log.bz2')));
  });

  it('passes two halves of the same trace on every property', async () => {
    const report = await validator.compare(a, b);
    expect(report.failed).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.score).toBeGreaterThan(0.7);
  });

  it('fails a template mix shifted by 10% on the template mix', async () => {
    const report = await validator.compare(a, shiftMix(b));
    expectOnly(report, ['template-mix'], ['session-length', 'session-inter-arrival', 'think-time', 'coverage']);
  });

  // (Think times are not tested here: at this log's one-second timestamps 99.9% of them are 0.)

  it('fails a template removed on coverage', async () => {
    const { events, victim } = removeTemplate(b);
    const report = await validator.compare(a, events);
    expectOnly(report, ['coverage'], ['template-mix', 'session-inter-arrival', 'think-time']);
    const missed = report.properties.find((p) => p.property === 'coverage')!.details!.missed as { template: string }[];
    expect(missed.map((m) => m.template)).toEqual([victim]);
  });
});

describe('calibration and power on the shop workload (a MySQL general log with millisecond timestamps)', () => {
  let a: TraceEvent[];
  let b: TraceEvent[];
  const validator = new WorkloadValidator();

  beforeAll(async () => {
    const { makeTempLog } = await import('@sqltrace/fixtures/src/make-log');
    [a, b] = halves(await parse(await makeTempLog({ format: 'mysql-general', statements: 30_000, seed: 'calibration', concurrency: 50 })));
  });

  it('passes two halves of the same trace on every property but concurrency', async () => {
    const report = await validator.compare(a, b);
    // Halves by session are two populations of a closed loop of 50 clients: each half has about
    // 25 open at any moment, but which 25 varies, so the number open varies more than in the whole.
    expect(report.failed.filter((p) => p !== 'concurrency')).toEqual([]);
  });

  it('fails a shifted template mix on the template mix', async () => {
    expectOnly(await validator.compare(a, shiftMix(b)), ['template-mix'], ['session-length', 'session-inter-arrival', 'think-time', 'coverage']);
  });

  it('fails doubled think times on think time', async () => {
    expectOnly(
      await validator.compare(a, doubleThinkTimes(b)),
      ['think-time'],
      ['template-mix', 'transitions', 'session-length', 'session-inter-arrival', 'coverage', 'parameters', 'repetition'],
    );
  });

  it('fails a template removed on coverage', async () => {
    const { events, victim } = removeTemplate(b);
    const report = await validator.compare(a, events);
    expectOnly(report, ['coverage'], ['template-mix', 'session-inter-arrival']);
    expect((report.properties.find((p) => p.property === 'coverage')!.details!.missed as { template: string }[]).map((m) => m.template)).toEqual([victim]);
  });
});

describe("concurrency against the original's own variation", () => {
  /** `levels[k]` sessions open through the k-th second: each session runs a statement every 10 ms for that second. */
  function population(levels: readonly number[]): TraceEvent[] {
    const events: TraceEvent[] = [];
    levels.forEach((n, k) => {
      for (let c = 0; c < n; c++) {
        for (let t = 0; t < 1_000_000; t += 10_000)
          events.push({ ts: 1_765_000_000_000_000 + k * 1_000_000 + t + c * 50, session: `k${k}c${c}`, sql: 'SELECT 1', durationUs: 100 });
      }
    });
    return events.sort((a, b) => a.ts - b.ts);
  }
  const validator = new WorkloadValidator();
  // A workload that changes: 10 sessions open in its first half, 14 in its second.
  const original = population([10, 10, 10, 10, 14, 14, 14, 14]);

  it("passes a difference no larger than the original's between its halves, and says why", async () => {
    // The same two stages the other way round: the same levels, at other times.
    const p = (await validator.compare(original, population([14, 14, 14, 14, 10, 10, 10, 10]))).properties.find((x) => x.property === 'concurrency')!;
    expect(p.effectSize).toBeGreaterThan(p.threshold);
    expect(p.effectSize).toBeLessThanOrEqual(p.details!.originalHalves as number);
    expect([p.passed, p.passedAs, p.note]).toEqual([
      true,
      'within-original-variation',
      `within the original's own difference between its two halves (${(p.details!.originalHalves as number).toFixed(3)})`,
    ]);
  });

  it('fails one beyond it', async () => {
    const p = (await validator.compare(original, population([30, 30, 30, 30, 30, 30, 30, 30]))).properties.find((x) => x.property === 'concurrency')!;
    expect(p.effectSize).toBeGreaterThan(p.details!.originalHalves as number);
    expect(p.passed).toBe(false);
  });
});

describe('arrival rate on a one-second clock', () => {
  /** A steady 2,000 statements a second, from 0.3 s into the first second to `to`. */
  function steady(resolutionUs: number, to = 10_000_000): TraceEvent[] {
    const events: TraceEvent[] = [];
    for (let t = 300_000; t < to; t += 500) {
      events.push({ ts: 1_765_000_000_000_000 + Math.floor(t / resolutionUs) * resolutionUs, session: `s${t % 7}`, sql: 'SELECT 1' });
    }
    return events;
  }

  it('passes a synthetic trace of microseconds against the log of seconds it was learnt from', async () => {
    // Each second's statements share its time in the log. The synthetic trace runs 0.1 s longer,
    // into an eleventh second: slicing instants, the ticks fell into other slices of the two spans
    // (effect 0.5).
    const p = (await new WorkloadValidator({ resolutionUs: 1_000_000 }).compare(steady(1_000_000), steady(1, 10_100_000))).properties.find(
      (x) => x.property === 'arrival-rate',
    )!;
    expect(p.effectSize).toBeLessThan(0.1);
    expect(p.passed).toBe(true);
  });

  it('still fails a rate that halves halfway', async () => {
    const halved = steady(1).filter((e, i) => e.ts < 1_765_000_005_000_000 || i % 2 === 0);
    const p = (await new WorkloadValidator({ resolutionUs: 1_000_000 }).compare(steady(1_000_000), halved)).properties.find(
      (x) => x.property === 'arrival-rate',
    )!;
    expect(p.passed).toBe(false);
  });
});
