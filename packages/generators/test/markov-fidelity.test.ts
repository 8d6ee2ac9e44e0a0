import type { TraceEvent } from '@sqltrace/core';
import { MarkovGenerator, type MarkovModel } from '@sqltrace/generators';
import { ks, malformedTransactions, sessionLengths, templateMixTvd, thinkTimes, transitionTvd } from './fidelity';
import { collect, corpus, describeCorpora, memoryTrace, parseLog } from './helpers';

/**
 * The fidelity bar, on real logs parsed by the parser: train, generate as many events as
 * the original, and compare with plain measures.
 */
async function trainAndGenerate(events: TraceEvent[], order = 1): Promise<{ model: MarkovModel; synthetic: TraceEvent[] }> {
  const generator = new MarkovGenerator();
  const model = await generator.train(memoryTrace(events), { settings: { order } });
  const synthetic = await collect(generator.generate(model, { seed: 'fidelity', events: events.length }));
  return { model, synthetic };
}

describeCorpora('Markov model (order 2) on the AWS RDS log (114,591 statements, 116 sessions, 57 templates)', () => {
  let original: TraceEvent[];
  let synthetic: TraceEvent[];
  let model: MarkovModel;
  beforeAll(async () => {
    original = await parseLog(corpus('pgbadger', 'rds.log.bz2'));
    ({ model, synthetic } = await trainAndGenerate(original, 2));
  });

  it('generates as many events as asked, within 1%', () => {
    expect(original.length).toBe(114_591);
    expect(Math.abs(synthetic.length - original.length)).toBeLessThan(original.length / 100);
  });

  it('keeps the template mix within 0.02 TVD and transitions within 0.05 TVD', () => {
    expect(templateMixTvd(original, synthetic)).toBeLessThan(0.02);
    expect(transitionTvd(original, synthetic)).toBeLessThan(0.05);
  });

  it('keeps session lengths and think times within KS 0.1 (median of five seeds)', async () => {
    // Four sessions of 28,000 statements among a hundred of one to fifty: when a draw starts its
    // long sessions decides how many sessions the events make, so one seed is one noisy sample.
    const lengths: number[] = [];
    const thinks: number[] = [];
    for (const seed of ['fidelity', 'a', 'b', 'c', 'd']) {
      const sample = seed === 'fidelity' ? synthetic : await collect(new MarkovGenerator().generate(model, { seed, events: original.length }));
      lengths.push(ks(sessionLengths(original), sessionLengths(sample)));
      thinks.push(ks(thinkTimes(original), thinkTimes(sample)));
    }
    const median = (v: number[]) => v.sort((a, b) => a - b)[2]!;
    expect(median(lengths)).toBeLessThan(0.1);
    expect(median(thinks)).toBeLessThan(0.1);
  });

  it('invents no template and leaves no transaction open', () => {
    const known = new Set(original.map((e) => e.templateId));
    expect(synthetic.filter((e) => !known.has(e.templateId)).map((e) => e.sql)).toEqual([]);
    expect(malformedTransactions(synthetic)).toEqual([]);
  });

  it('writes events in time order', () => {
    for (let i = 1; i < synthetic.length; i++) if (synthetic[i]!.ts < synthetic[i - 1]!.ts) throw new Error(`event ${i} goes back in time`);
  });
});

describeCorpora('Markov model on the pgbench syslog (59,871 statements in BEGIN … END transactions)', () => {
  let original: TraceEvent[];
  let synthetic: TraceEvent[];
  beforeAll(async () => {
    original = await parseLog(corpus('pgbadger', 'pg-syslog.1.bz2'));
    ({ synthetic } = await trainAndGenerate(original, 2));
  });

  it('keeps the mix, the transitions and the think times', () => {
    expect(templateMixTvd(original, synthetic)).toBeLessThan(0.02);
    expect(transitionTvd(original, synthetic)).toBeLessThan(0.05);
    expect(ks(thinkTimes(original), thinkTimes(synthetic))).toBeLessThan(0.1);
    // (Session lengths are not compared here: the trace has 6 sessions, too few for a KS statistic to mean anything.)
  });

  it('keeps every pgbench transaction well formed', () => {
    const begins = synthetic.filter((e) => e.sql === 'BEGIN').length;
    expect(begins).toBeGreaterThan(5_000);
    expect(malformedTransactions(synthetic)).toEqual([]);
  });

  it('draws the pgbench parameters from the learned ranges', () => {
    const update = synthetic.filter((e) => e.sql.startsWith('UPDATE pgbench_accounts SET abalance'));
    const deltas = update.map((e) => Number(e.params![0]));
    const originalDeltas = original.filter((e) => e.sql.startsWith('UPDATE pgbench_accounts SET abalance')).map((e) => Number(e.params![0]));
    expect(deltas.length).toBeGreaterThan(1_000);
    expect(ks(deltas, originalDeltas)).toBeLessThan(0.05);
  });
});

describe('Markov model on the shop workload as a MySQL general log (20,000 statements, 2,201 sessions)', () => {
  it('keeps mix, transitions, session lengths and think times at order 1', async () => {
    const { makeTempLog } = await import('@sqltrace/fixtures/src/make-log');
    const original = await parseLog(await makeTempLog({ format: 'mysql-general', statements: 20_000, seed: 'my', concurrency: 50 }));
    const { synthetic } = await trainAndGenerate(original, 1);
    expect(templateMixTvd(original, synthetic)).toBeLessThan(0.02);
    expect(transitionTvd(original, synthetic)).toBeLessThan(0.05);
    expect(ks(sessionLengths(original), sessionLengths(synthetic))).toBeLessThan(0.1);
    expect(ks(thinkTimes(original), thinkTimes(synthetic))).toBeLessThan(0.1);
    expect(malformedTransactions(synthetic)).toEqual([]);
    expect(synthetic.some((e) => e.sql.includes('?'))).toBe(true);
  });
});
