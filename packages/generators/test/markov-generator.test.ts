import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTraceEvent, isStbError, type TraceEvent } from '@sqltrace/core';
import { defaultRegistry, loadModelFile, MarkovGenerator, MarkovModel, saveModelFile } from '@sqltrace/generators';
import { bySession, malformedTransactions } from './fidelity';
import { collect, DEMO_LOG, memoryTrace, parseLog } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'stb-markov-'));
let demo: TraceEvent[];
let model: MarkovModel;
const generator = new MarkovGenerator();

beforeAll(async () => {
  demo = await parseLog(DEMO_LOG);
  model = await generator.train(memoryTrace(demo, 'postgres', 'shop-postgres.log'));
});

async function bytes(options: Parameters<MarkovGenerator['generate']>[1]): Promise<string> {
  return (await collect(generator.generate(model, options))).map((e) => encodeTraceEvent(e)).join('\n');
}

function spanSeconds(events: readonly TraceEvent[]): number {
  return (events[events.length - 1]!.ts - events[0]!.ts) / 1e6;
}

/** Time-averaged number of open sessions. */
function concurrency(events: readonly TraceEvent[]): number {
  let open = 0;
  for (const s of bySession(events).values()) open += s[s.length - 1]!.ts + (s[s.length - 1]!.durationUs ?? 0) - s[0]!.ts;
  return open / (events[events.length - 1]!.ts - events[0]!.ts);
}

describe('MarkovGenerator on the demo shop workload', () => {
  it('is found by name in the default registry', () => {
    expect(defaultRegistry().create('markov')).toBeInstanceOf(MarkovGenerator);
    expect(defaultRegistry().names()).toEqual(['lstm', 'markov', 'transformer']);
    expect(() => defaultRegistry().create('gru')).toThrow(
      expect.objectContaining({ message: 'no workload model named "gru"', hint: 'Choose one of: lstm, markov, transformer' }),
    );
  });

  it('learns the trace: every template, their kinds and tables, session count, transactions', () => {
    const p = model.profile;
    expect(p.trace.events).toBe(1_500);
    expect(p.templates).toHaveLength(new Set(demo.map((e) => e.templateId)).size);
    const insert = p.templates.find((t) => t.text.startsWith('INSERT INTO order_items'))!;
    expect(insert.kind).toBe('insert');
    expect(insert.tables?.written).toEqual(['order_items']);
    expect(insert.slots).toContain('list-length');
    expect(p.trace.sessions).toBe(new Set(demo.map((e) => e.session)).size);
    expect(p.transactionLength).toBeGreaterThan(2);
    expect(model.warnings).toEqual([]);
  });

  it('gives the same bytes for the same seed and different bytes for another', async () => {
    const a = await bytes({ seed: 42, events: 2_000 });
    expect(await bytes({ seed: 42, events: 2_000 })).toBe(a);
    expect(await bytes({ seed: 43, events: 2_000 })).not.toBe(a);
    // …also after a round trip through the model file.
    const path = join(dir, 'model.json');
    await saveModelFile(path, 'markov', model.toJSON());
    const reloaded = MarkovModel.fromJSON((await loadModelFile(path, 'markov')).model, path);
    expect((await collect(generator.generate(reloaded, { seed: 42, events: 2_000 }))).map((e) => encodeTraceEvent(e)).join('\n')).toBe(a);
  });

  it('renders collapsed lists and multi-row VALUES at their drawn lengths, with matching parameters', async () => {
    const events = await collect(generator.generate(model, { seed: 1, events: 3_000 }));
    const inserts = events.filter((e) => e.sql.startsWith('INSERT INTO order_items'));
    expect(inserts.length).toBeGreaterThan(20);
    for (const e of inserts) {
      const placeholders = e.sql.match(/\$\d+/g) ?? [];
      expect(placeholders).toHaveLength(e.params!.length);
      expect(e.params!.length % 4).toBe(0);
    }
    expect(new Set(inserts.map((e) => e.params!.length)).size).toBeGreaterThan(1);
  });

  it('renders literals inline, dialect-correct, when asked', async () => {
    const events = await collect(generator.generate(model, { seed: 1, events: 500, style: 'inline' }));
    expect(events.every((e) => e.params === undefined)).toBe(true);
    expect(events.some((e) => /WHERE id = \d+/.test(e.sql))).toBe(true);
  });

  it('reuses values of earlier statements of the session where the trace did (the order’s user and total)', async () => {
    // In the shop's checkout, UPDATE users … balance - $1 WHERE id = $2 repeats the total and the
    // user id of the INSERT INTO orders a few statements before it.
    const reuseShare = (events: readonly TraceEvent[]) => {
      let updates = 0,
        reused = 0;
      for (const session of bySession(events).values()) {
        session.forEach((e, i) => {
          if (!e.sql.startsWith('UPDATE users SET last_order_at')) return;
          updates++;
          const earlier = new Set(session.slice(Math.max(0, i - 8), i).flatMap((p) => (p.params ?? []).map(String)));
          if (e.params!.every((v) => earlier.has(String(v)))) reused++;
        });
      }
      return { updates, share: reused / updates };
    };
    const original = reuseShare(demo);
    const synthetic = reuseShare(await collect(generator.generate(model, { seed: 7, events: 6_000 })));
    expect(original.share).toBe(1);
    expect(synthetic.updates).toBeGreaterThan(20);
    expect(synthetic.share).toBeGreaterThan(0.8);
  });

  it('keeps transactions well formed, also when the run stops mid-transaction', async () => {
    for (const events of [50, 333, 2_000]) {
      const out = await collect(generator.generate(model, { seed: events, events }));
      expect(malformedTransactions(out)).toEqual([]);
    }
  });

  it('scales concurrency with --sessions, compresses time with --speed, stops at --duration', async () => {
    const base = await collect(generator.generate(model, { seed: 3, events: 4_000 }));
    const more = await collect(generator.generate(model, { seed: 3, events: 4_000, sessions: model.profile.trace.meanConcurrency * 4 }));
    expect(concurrency(more) / concurrency(base)).toBeGreaterThan(2.5);
    const fast = await collect(generator.generate(model, { seed: 3, events: 4_000, speed: 10 }));
    expect(spanSeconds(base) / spanSeconds(fast)).toBeGreaterThan(7);
    expect(spanSeconds(base) / spanSeconds(fast)).toBeLessThan(13);
    const timed = await collect(generator.generate(model, { seed: 3, durationSeconds: 2 }));
    const inTransaction = timed.filter((e) => e.ts - timed[0]!.ts > 2e6);
    expect(spanSeconds(timed)).toBeGreaterThan(1.5);
    expect(inTransaction.length).toBeLessThan(50); // only what closes open transactions runs past the end
  });

  it('trains orders 2 and 3 with back-off', async () => {
    for (const order of [2, 3]) {
      const m = await generator.train(memoryTrace(demo), { settings: { order } });
      expect(m.chain.order).toBe(order);
      const out = await collect(generator.generate(m, { seed: 1, events: 1_000 }));
      // About as many as asked: no transaction starts once the open ones would reach the count.
      expect(Math.abs(out.length - 1_000)).toBeLessThanOrEqual(20);
      expect(malformedTransactions(out)).toEqual([]);
    }
    await expect(generator.train(memoryTrace(demo), { settings: { order: 4 } })).rejects.toThrow(/--order must be 1, 2 or 3/);
  });
});

describe('bad input', () => {
  it('refuses an empty trace with a message, not a crash', async () => {
    const error = await generator.train(memoryTrace([], 'postgres', 'empty.jsonl')).catch((e: unknown) => e);
    expect(isStbError(error)).toBe(true);
    expect((error as Error).message).toBe('empty.jsonl: the trace has no events — there is nothing to learn');
  });

  it('trains on a trace with one session, says so, and generates from it', async () => {
    const one = demo.filter((e) => e.session === demo[0]!.session);
    const m = await generator.train(memoryTrace(one));
    expect(m.warnings.join('\n')).toMatch(/one session/);
    const out = await collect(generator.generate(m, { seed: 1, events: 50 }));
    expect(out.length).toBeGreaterThanOrEqual(50);
  });

  it('trains on a trace without parameters, says so, and repeats its statements', async () => {
    const plain = [0, 1, 2, 3].flatMap((s) =>
      ['SELECT now()', 'SHOW server_version', 'SELECT count(*) FROM pg_class'].map((sql, i) => ({ ts: 1e15 + s * 1e6 + i * 1e3, session: `p${s}`, sql })),
    );
    const m = await generator.train(memoryTrace(plain));
    expect(m.warnings.join('\n')).toMatch(/no statement in the trace has parameters/);
    const out = await collect(generator.generate(m, { seed: 1, events: 30 }));
    expect(new Set(out.map((e) => e.sql))).toEqual(new Set(['SELECT now()', 'SHOW server_version', 'SELECT count(*) FROM pg_class']));
  });

  it('refuses model files that are not models, are damaged, or are newer', async () => {
    const trace = join(dir, 'trace.jsonl');
    writeFileSync(
      trace,
      demo
        .slice(0, 3)
        .map((e) => encodeTraceEvent(e))
        .join('\n'),
    );
    await expect(loadModelFile(trace)).rejects.toThrow(/not a model file \(it is a trace\)/);
    const good = JSON.parse(JSON.stringify(model.toJSON()));
    const damaged = { ...good, profile: { ...good.profile, templates: [{ ...good.profile.templates[0], slots: 'oops' }] } };
    expect(() => MarkovModel.fromJSON(damaged, 'm.json')).toThrow(/m\.json: the model is damaged \(template #0 is damaged\)/);
    expect(() => MarkovModel.fromJSON({ ...good, chain: { ...good.chain, states: good.chain.states + 5 } }, 'm.json')).toThrow(
      /the chain has \d+ states for \d+ templates/,
    );
    expect(() => MarkovModel.fromJSON({ ...good, version: 99 }, 'm.json')).toThrow(/version 99 is newer/);
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(join(dir, 'model.json'), 'utf8').slice(0, 500));
    await expect(loadModelFile(truncated)).rejects.toThrow(/not a model file \(not JSON\)/);
  });

  it('refuses nonsense generation options', () => {
    expect(() => generator.synthesizer(model, { seed: 1, events: -5 })).toThrow(/--events must be a positive number/);
    expect(() => generator.synthesizer(model, { seed: 1, speed: 0 })).toThrow(/--speed must be a positive number/);
  });
});
