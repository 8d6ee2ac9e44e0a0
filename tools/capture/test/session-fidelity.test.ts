import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceFileSource, type TraceEvent } from '@sqltrace/core';
import { WorkloadValidator, type FidelityReportJson } from '@sqltrace/validator';
import { fidelityCapture, pipeline, type Pipeline } from '../src/index';
import { serversOrSkip } from './servers';

/**
 * Session fidelity on logs captured here and now on the machine's own servers: a benchmark
 * client's fixed set of connections (pgbench TPC-B, sysbench), and one connection per
 * transaction (pgbench -C). Train, generate as many events, validate with default thresholds.
 * The neural strategies on the same captures: `npm run bench:neural-fidelity` (25+ minutes).
 */
const dir = mkdtempSync(join(tmpdir(), 'stb-fidelity-'));
const YEAR_2000_US = Date.UTC(2000, 0, 1) * 1000;
const { describePg, describeMysql } = serversOrSkip();

function verdict(report: FidelityReportJson, property: string): [string, boolean, number] {
  const p = report.properties.find((x) => x.property === property)!;
  return [property, p.passed, Number(p.effectSize.toFixed(3))];
}

describePg(fidelityCapture('tpcb').label, () => {
  let run: Pipeline;
  beforeAll(async () => {
    const log = join(dir, 'tpcb.log');
    await fidelityCapture('tpcb').capture(log);
    run = await pipeline(log, 'tpcb', dir);
  }, 240_000);

  it('passes stb validate with default thresholds, the concurrency property included', () => {
    expect(run.report.failed).toEqual([]);
    const concurrency = run.report.properties.find((p) => p.property === 'concurrency')!;
    expect(concurrency.details!.meanOriginal as number).toBeGreaterThan(7.5);
    expect(Math.abs((concurrency.details!.meanSynthetic as number) - (concurrency.details!.meanOriginal as number))).toBeLessThan(0.5);
  });

  it('writes as many events as the log, within 1%, none before 2000', () => {
    expect(run.originalEvents).toBeGreaterThan(100_000);
    expect(Math.abs(run.syntheticEvents - run.originalEvents)).toBeLessThan(run.originalEvents / 100);
    expect(run.minTs).toBeGreaterThan(YEAR_2000_US);
  });

  it('fails concurrency when the same sessions are made to arrive one by one over the first third', async () => {
    // The defect of the earlier model: the eight connections opened one after another.
    const events: TraceEvent[] = [];
    for await (const e of new TraceFileSource(run.original).events()) events.push(e);
    const from = events[0]!.ts;
    const last = events.reduce((m, e) => Math.max(m, e.ts), 0);
    const order = [...new Set(events.map((e) => e.session))];
    const opens = new Map(order.map((s, k) => [s, from + ((last - from) / 3) * (k / order.length)]));
    const staggered = events.filter((e) => e.ts >= opens.get(e.session)!);
    const halves = new WorkloadValidator();
    expect(verdict(await halves.compare(events, staggered), 'concurrency').slice(0, 2)).toEqual(['concurrency', false]);
  }, 60_000);
});

describeMysql(fidelityCapture('sysbench').label, () => {
  let run: Pipeline;
  beforeAll(async () => {
    const log = join(dir, 'sysbench.log');
    await fidelityCapture('sysbench').capture(log);
    run = await pipeline(log, 'sysbench', dir);
  }, 240_000);

  it('learns one-second times as intervals: no event before 2000, sessions and timing faithful', () => {
    expect(run.minTs).toBeGreaterThan(YEAR_2000_US);
    expect(Math.abs(run.syntheticEvents - run.originalEvents)).toBeLessThan(run.originalEvents / 100);
    for (const property of ['concurrency', 'session-length', 'session-inter-arrival', 'think-time', 'arrival-rate', 'template-mix', 'transitions']) {
      expect(verdict(run.report, property).slice(0, 2)).toEqual([property, true]);
    }
  });
});

describePg(fidelityCapture('tpcb-C').label, () => {
  let run: Pipeline;
  beforeAll(async () => {
    const log = join(dir, 'tpcb-C.log');
    await fidelityCapture('tpcb-C').capture(log);
    run = await pipeline(log, 'tpcb-C', dir);
  }, 240_000);

  it("keeps the number of events, the sessions' lifetimes and the number of open sessions over time", () => {
    expect(run.report.original.sessions).toBeGreaterThan(1_000);
    expect(Math.abs(run.syntheticEvents - run.originalEvents)).toBeLessThan(run.originalEvents / 100);
    for (const property of ['session-duration', 'session-length', 'session-inter-arrival', 'think-time', 'template-mix', 'transitions', 'concurrency']) {
      expect(verdict(run.report, property).slice(0, 2)).toEqual([property, true]);
    }
    // pgbench's two threads each open one connection at a time: the model finds them.
    expect(run.profile.population?.reconnect?.connectors?.count).toBe(2);
    // The mean number of open sessions within 5%.
    const concurrency = run.report.properties.find((p) => p.property === 'concurrency')!;
    expect(Math.abs((concurrency.details!.meanSynthetic as number) / (concurrency.details!.meanOriginal as number) - 1)).toBeLessThan(0.05);
  });

  it('passes concurrency between the two halves of the log in time, and fails it for sessions arriving as a Poisson stream', async () => {
    const events: TraceEvent[] = [];
    for await (const e of new TraceFileSource(run.original).events()) events.push(e);
    const middle = (events[0]!.ts + events[events.length - 1]!.ts) / 2;
    const firstSession = new Map<string, number>();
    for (const e of events) if (!firstSession.has(e.session)) firstSession.set(e.session, e.ts);
    const early = events.filter((e) => firstSession.get(e.session)! < middle);
    const late = events.filter((e) => firstSession.get(e.session)! >= middle);
    const validator = new WorkloadValidator({ resolutionUs: 1_000 });
    expect(verdict(await validator.compare(early, late), 'concurrency').slice(0, 2)).toEqual(['concurrency', true]);
    // The same sessions, each moved to start at a uniformly random time: arrivals independent of ends.
    const span = events[events.length - 1]!.ts - events[0]!.ts;
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const shift = new Map([...firstSession.keys()].map((s) => [s, events[0]!.ts + random() * span - firstSession.get(s)!]));
    const poisson = events.map((e) => ({ ...e, ts: Math.round(e.ts + shift.get(e.session)!) })).sort((a, b) => a.ts - b.ts);
    expect(verdict(await validator.compare(events, poisson), 'concurrency').slice(0, 2)).toEqual(['concurrency', false]);
  }, 60_000);
});
