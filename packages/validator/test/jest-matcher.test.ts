import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTraceEvent, isStbError, type TraceEvent } from '@sqltrace/core';
import { assertWorkloadSimilar, WorkloadMismatchError, WorkloadValidator, type PropertyOutcome } from '@sqltrace/validator';
import '@sqltrace/validator/jest';

/** A small workload: sessions of a lookup, an update of the same id, and a commit-free read. */
function workload(seed: number, sessions: number, thinkUs: number, mix = 0.7): TraceEvent[] {
  let x = seed;
  const next = () => (x = (48271 * x) % 2147483647) / 2147483647;
  const events: TraceEvent[] = [];
  for (let s = 0; s < sessions; s++) {
    let ts = 1_700_000_000_000_000 + s * 50_000 + Math.floor(next() * 20_000);
    const statements = 2 + Math.floor(next() * 5);
    for (let i = 0; i < statements; i++) {
      const id = 1 + Math.floor(next() * 10_000);
      const lookup = next() < mix;
      events.push({
        ts,
        session: `s${s}`,
        sql: lookup ? 'SELECT * FROM t WHERE id = $1' : 'UPDATE t SET n = n + 1 WHERE id = $1',
        params: [id],
        durationUs: 200,
        templateId: lookup ? 'lookup' : 'update',
      });
      ts += 200 + Math.floor(next() * 2 * thinkUs);
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

describe('toMatchWorkload and assertWorkloadSimilar', () => {
  const original = workload(1, 2_000, 5_000);

  it('passes a trace of the same workload', async () => {
    await expect(workload(2, 2_000, 5_000)).toMatchWorkload(original);
    const report = await assertWorkloadSimilar(workload(3, 2_000, 5_000), original);
    expect(report.passed).toBe(true);
  });

  it('fails a different workload with a message that names the failing properties and their numbers', async () => {
    const other = workload(4, 2_000, 15_000, 0.4);
    await expect(expect(other).toMatchWorkload(original)).rejects.toThrow(
      /template-mix: total variation distance of template shares = 0\.\d+ > 0\.05 \(p = .*Holm\)/,
    );
    const error = await assertWorkloadSimilar(other, original).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkloadMismatchError);
    expect((error as Error).message).toMatch(/think-time: two-sample KS statistic of think times = 0\.\d+ > 0\.1/);
    expect((error as WorkloadMismatchError).report.failed).toEqual(expect.arrayContaining(['template-mix', 'think-time']));
  });

  it('takes thresholds, and trace file paths', async () => {
    const other = workload(4, 2_000, 5_000, 0.6);
    await expect(other).not.toMatchWorkload(original);
    await expect(other).toMatchWorkload(original, { 'template-mix': 0.2, transitions: 0.2, 'ngram-coverage': 0.5 });
    const dir = mkdtempSync(join(tmpdir(), 'stb-matcher-'));
    const write = (name: string, events: TraceEvent[]) => {
      writeFileSync(join(dir, name), events.map((e) => encodeTraceEvent(e)).join('\n') + '\n');
      return join(dir, name);
    };
    await expect(write('b.jsonl', workload(5, 2_000, 5_000))).toMatchWorkload(write('a.jsonl', original));
  });

  it('tells observers about each failed property', async () => {
    const failed: PropertyOutcome[] = [];
    const validator = new WorkloadValidator();
    const unsubscribe = validator.subscribe({ onPropertyFailed: (p) => failed.push(p) });
    await validator.compare(original, workload(4, 2_000, 15_000, 0.4));
    expect(failed.map((p) => p.property)).toEqual(expect.arrayContaining(['template-mix', 'think-time']));
    const heard = failed.length;
    unsubscribe();
    await validator.compare(original, workload(4, 2_000, 15_000, 0.4));
    expect(failed.length).toBe(heard);
  });

  it('refuses an empty trace with a message; a one-event trace gives a report without NaN', async () => {
    const error = await new WorkloadValidator().compare(original, []).catch((e: unknown) => e);
    expect(isStbError(error)).toBe(true);
    expect((error as Error).message).toBe('synthetic (in memory): the trace has no events — there is nothing to compare');
    const one = await new WorkloadValidator().compare(original, [original[0]!]);
    const text = JSON.stringify(one);
    expect(text).not.toMatch(/NaN|null/);
    expect(one.properties.filter((p) => p.skipped).map((p) => p.property)).toEqual(expect.arrayContaining(['think-time', 'arrival-rate']));
    expect(one.score).toBeGreaterThanOrEqual(0);
    expect(one.score).toBeLessThanOrEqual(1);
    const disjoint = await new WorkloadValidator().compare(
      original,
      original.map((e) => ({ ...e, templateId: `other-${e.templateId}` })),
    );
    expect(disjoint.properties.find((p) => p.property === 'template-mix')!.effectSize).toBe(1);
    expect(JSON.stringify(disjoint)).not.toMatch(/NaN/);
    expect(disjoint.passed).toBe(false);
  });
});
