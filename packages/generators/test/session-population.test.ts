import { isStbError, Prng, type TraceEvent, type TraceHeader, type TraceSource } from '@sqltrace/core';
import { MarkovGenerator } from '@sqltrace/generators';
import { collect } from './helpers';

const T0 = 1_765_000_000_000_000;

function trace(events: readonly TraceEvent[], header: Partial<TraceHeader> = {}): TraceSource {
  return {
    name: 'test.jsonl',
    header: async () => ({ version: 1, dialect: 'postgres', ...header }),
    events: async function* () {
      yield* events;
    },
  };
}

/** `clients` connections open for the whole trace, each running BEGIN / UPDATE / COMMIT every `everyUs`. */
function pool(clients: number, seconds: number, everyUs = 10_000): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let c = 0; c < clients; c++) {
    for (let t = c * 100; t < seconds * 1e6; t += everyUs) {
      events.push({ ts: T0 + t, session: `p${c}`, sql: 'BEGIN', durationUs: 50 });
      events.push({ ts: T0 + t + 100, session: `p${c}`, sql: `UPDATE accounts SET n = n + 1 WHERE id = ${(t / everyUs) % 7}`, durationUs: 200 });
      events.push({ ts: T0 + t + 400, session: `p${c}`, sql: 'COMMIT', durationUs: 80 });
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

/** Clients that each open a new session for every transaction, 2 ms after the last one ended. */
function reconnecting(clients: number, seconds: number): TraceEvent[] {
  const events: TraceEvent[] = [];
  let session = 0;
  for (let c = 0; c < clients; c++) {
    let t = c * 700;
    while (t < seconds * 1e6) {
      const id = `r${session++}`;
      events.push({ ts: T0 + t, session: id, sql: 'BEGIN', durationUs: 50 });
      events.push({ ts: T0 + t + 1_000, session: id, sql: 'SELECT n FROM accounts WHERE id = 3', durationUs: 300 });
      events.push({ ts: T0 + t + 2_000, session: id, sql: 'COMMIT', durationUs: 100 });
      t += 2_100 + 2_000 + ((c * 37 + session * 13) % 1_000); // the session, then 2–3 ms to reconnect
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

/**
 * pgbench -C's shape: `clients` clients whose connections are opened one at a time by two
 * connectors (pgbench's threads), ~3 ms each, first come first served; a session is a short
 * transaction. The log is switched on 30 ms into the run, when every client is at it.
 */
function throughConnectors(clients: number, seconds: number, prng = new Prng('connectors')): TraceEvent[] {
  const events: TraceEvent[] = [];
  const free = [0, 0];
  const requests = Array.from({ length: clients }, (_, c) => c * 300); // when each client asks for a connection
  let session = 0;
  for (;;) {
    // The earliest request is served by the connector free first.
    let r = 0;
    for (let k = 1; k < requests.length; k++) if (requests[k]! < requests[r]!) r = k;
    const f = free[0]! <= free[1]! ? 0 : 1;
    const start = Math.max(requests[r]!, free[f]!) + 2_500 + prng.next() * 1_000;
    if (start > seconds * 1e6) break;
    free[f] = start;
    const id = `c${session++}`;
    const think = 300 + prng.next() * 1_400;
    events.push({ ts: T0 + Math.round(start), session: id, sql: 'BEGIN', durationUs: 50 });
    events.push({ ts: T0 + Math.round(start + 50 + think), session: id, sql: 'SELECT n FROM accounts WHERE id = 3', durationUs: 300 });
    events.push({ ts: T0 + Math.round(start + 400 + 2 * think), session: id, sql: 'COMMIT', durationUs: 100 });
    requests[r] = start + 500 + 2 * think;
  }
  return events.filter((e) => e.ts >= T0 + 30_000).sort((a, b) => a.ts - b.ts);
}

/** The share of time at each number of open sessions, sampled at `points` instants. */
function openLevels(events: readonly TraceEvent[], points = 400): number[] {
  const start = events[0]!.ts,
    end = events[events.length - 1]!.ts;
  const levels: number[] = [];
  for (let k = 0; k < points; k++) {
    const open = openAt(events, start + ((k + 0.5) / points) * (end - start));
    levels[open] = (levels[open] ?? 0) + 1 / points;
  }
  return Array.from(levels, (v) => v ?? 0);
}

function tvd(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / 2;
}

function openAt(events: readonly TraceEvent[], at: number): number {
  const spans = new Map<string, [number, number]>();
  for (const e of events) {
    const s = spans.get(e.session);
    if (s === undefined) spans.set(e.session, [e.ts, e.ts + (e.durationUs ?? 0)]);
    else s[1] = e.ts + (e.durationUs ?? 0);
  }
  let open = 0;
  for (const [first, last] of spans.values()) if (first <= at && at < last) open++;
  return open;
}

describe('the session population', () => {
  const generator = new MarkovGenerator();

  it("opens a pool's connections at the start and keeps them open: a censored session is not a short one", async () => {
    const original = pool(8, 3);
    const model = await generator.train(trace(original));
    expect(model.warnings.some((w) => w.includes("all 8 sessions were open from the trace's start to its end"))).toBe(true);
    expect(model.profile.population).toMatchObject({ initialCount: 8, censoredAtEnd: 8 });
    const synthetic = await collect(generator.generate(model, { seed: 1 }));
    expect(Math.abs(synthetic.length - original.length)).toBeLessThanOrEqual(original.length / 100);
    expect(new Set(synthetic.map((e) => e.session)).size).toBe(8);
    const start = synthetic[0]!.ts;
    const end = synthetic[synthetic.length - 1]!.ts;
    for (const at of [0.01, 0.25, 0.5, 0.75, 0.95]) expect([at, openAt(synthetic, start + at * (end - start))]).toEqual([at, 8]);
  });

  it('runs longer than the trace with the pool still at its size (a pool does not arrive again)', async () => {
    const model = await generator.train(trace(pool(8, 2)));
    const synthetic = await collect(generator.generate(model, { seed: 2, durationSeconds: 5 }));
    const start = synthetic[0]!.ts;
    expect(new Set(synthetic.map((e) => e.session)).size).toBe(8);
    expect(openAt(synthetic, start + 4.5e6)).toBe(8);
  });

  it("has a benchmark's clients, connected just after the log began, join once: at the time they did, and not again in a longer run", async () => {
    // pgbench's shape: a set-up session, then 8 clients connecting 150–185 ms later (after the
    // edge's slack, so arrivals) and running to the end.
    const events: TraceEvent[] = [0, 1_000, 2_000].map((t) => ({ ts: T0 + t, session: 'setup', sql: `VACUUM t${t}`, durationUs: 500 }));
    for (const e of pool(8, 3)) if (e.ts - T0 >= 150_000 + Number(e.session.slice(1)) * 5_000) events.push(e);
    events.sort((a, b) => a.ts - b.ts);
    const model = await generator.train(trace(events));
    const synthetic = await collect(generator.generate(model, { seed: 5, durationSeconds: 9 }));
    const firsts = new Map<string, number>();
    for (const e of synthetic) if (!firsts.has(e.session)) firsts.set(e.session, e.ts - synthetic[0]!.ts);
    const clients = [...firsts.values()].filter((t) => t > 100_000);
    expect(clients.length).toBeGreaterThanOrEqual(7);
    // Within the 10 ms they took (bins of a second spread them over the first second).
    expect(clients.every((t) => t >= 140_000 && t <= 200_000)).toBe(true);
    // Three times the trace: still 8 open, not 8 more a round (16, then 24).
    expect(openAt(synthetic, synthetic[0]!.ts + 8.5e6)).toBe(8);
  });

  it('has clients that reconnect as a session ends keep their number, not arrive as a stream', async () => {
    const original = reconnecting(6, 4);
    const model = await generator.train(trace(original));
    expect(model.profile.population?.reconnect?.probability).toBeGreaterThan(0.99);
    const synthetic = await collect(generator.generate(model, { seed: 3 }));
    const start = synthetic[0]!.ts,
      end = synthetic[synthetic.length - 1]!.ts;
    let most = 0;
    for (let k = 1; k < 200; k++) most = Math.max(most, openAt(synthetic, start + (k / 200) * (end - start)));
    expect(most).toBeLessThanOrEqual(6); // six clients never hold seven sessions
    expect(Math.abs(synthetic.length - original.length)).toBeLessThanOrEqual(original.length / 100);
    expect((end - start) / 1e6).toBeGreaterThan(3.6); // the same pace: about the original's 4 s
    expect((end - start) / 1e6).toBeLessThan(4.4);
  });

  it('learns that clients reconnect through two connectors, and keeps the number of open sessions as the log had it', async () => {
    const original = throughConnectors(6, 3);
    const model = await generator.train(trace(original));
    expect(model.profile.population?.reconnect?.connectors?.count).toBe(2);
    const synthetic = await collect(generator.generate(model, { seed: 8, events: original.length }));
    const near = tvd(openLevels(original), openLevels(synthetic));
    // The same model with independent reconnect delays: every client may reconnect at once.
    const { connectors: _, ...independent } = model.profile.population!.reconnect!;
    const json = model.toJSON();
    const unqueued = generator.loadModel(
      { ...json, profile: { ...json.profile, population: { ...json.profile.population!, reconnect: independent } } },
      'unqueued',
    );
    const far = tvd(openLevels(original), openLevels(await collect(generator.generate(unqueued, { seed: 8, events: original.length }))));
    expect({ near: near < 0.1, far: far > near + 0.05 }).toEqual({ near: true, far: true });
  });

  it('keeps how think times go together within a session: two long waits in each, not a binomial number of them', async () => {
    // 600 sessions of 7 statements; in each, exactly two of its six think times are 20 ms (at
    // random places), the others 0.5 ms.
    const prng = new Prng('two-waits');
    const events: TraceEvent[] = [];
    for (let s = 0; s < 600; s++) {
      const long = new Set<number>();
      while (long.size < 2) long.add(Math.floor(prng.next() * 6));
      let t = s * 60_000;
      for (let i = 0; i < 7; i++) {
        events.push({ ts: T0 + Math.round(t), session: `s${s}`, sql: `SELECT v FROM t${i} WHERE id = 1`, durationUs: 100 });
        t += 100 + (long.has(i) ? 20_000 : 500) + prng.next() * 100;
      }
    }
    events.sort((a, b) => a.ts - b.ts);
    const model = await generator.train(trace(events));
    expect(model.profile.thinkTime.sessionRanks?.length).toBeGreaterThan(100);
    const synthetic = await collect(generator.generate(model, { seed: 9, events: events.length }));
    const longWaits = new Map<string, { n: number; statements: number; last: number }>();
    for (const e of synthetic) {
      const s = longWaits.get(e.session);
      if (s === undefined) longWaits.set(e.session, { n: 0, statements: 1, last: e.ts + 100 });
      else {
        if (e.ts - s.last > 10_000) s.n++;
        s.statements++;
        s.last = e.ts + 100;
      }
    }
    // The sessions of seven statements, as the trace's were (the run's end may cut the last ones).
    const whole = [...longWaits.values()].filter((s) => s.statements === 7);
    expect(whole.length).toBeGreaterThan(500);
    // Drawn independently, a session would have exactly two long waits a third of the time.
    expect(whole.filter((s) => s.n === 2).length / whole.length).toBeGreaterThan(0.9);
  });

  it('warns, and runs the earliest, when asked for fewer events than the sessions open at the start', async () => {
    const model = await generator.train(trace(pool(8, 1)));
    const warnings: string[] = [];
    const synthetic = await collect(generator.generate(model, { seed: 4, events: 3, onWarning: (w) => warnings.push(w) }));
    expect(synthetic).toHaveLength(3);
    expect(warnings).toEqual([
      '3 events are fewer than the 8 sessions open at the start of the trace: only the first 3 of them run, one statement each — ask for more events to see them all',
    ]);
  });

  it('refuses a header whose clock resolution the times contradict, naming the event', async () => {
    const events = pool(2, 1).map((e, i) => (i === 5 ? { ...e, ts: e.ts + 123 } : { ...e, ts: Math.round(e.ts / 1000) * 1000, durationUs: 1000 }));
    const error = await generator.train(trace(events, { resolutionUs: 1000 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStbError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^test\.jsonl: event 6 \(ts \d+\) is not on the 1000 µs clock the trace header claims \(resolutionUs\)$/);
  });

  it('learns think times from a millisecond clock as intervals: none negative, not piled on the grid', async () => {
    // Statements 0.3 ms apart logged on a millisecond clock (as they ended): most share a tick.
    const events: TraceEvent[] = [];
    for (let i = 0; i < 3_000; i++) {
      const end = T0 + i * 300 + 200;
      events.push({ ts: Math.floor(end / 1000) * 1000 - 200, session: 's', sql: `SELECT ${i % 5}`, durationUs: 200 });
    }
    const model = await generator.train(trace(events, { resolutionUs: 1000 }));
    const synthetic = await collect(generator.generate(model, { seed: 5 }));
    const gaps: number[] = [];
    for (let i = 1; i < synthetic.length; i++) gaps.push(synthetic[i]!.ts - synthetic[i - 1]!.ts - 200);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0);
    expect(mean).toBeGreaterThan(60); // true gap 100 µs; the grid alone would give 0 or 800
    expect(mean).toBeLessThan(140);
    expect(gaps.filter((g) => g === 0).length / gaps.length).toBeLessThan(0.2);
  });
  it('learns the rate of a one-second log that began and ended inside a second (a general log switched on mid-run)', async () => {
    // 8 clients, 1,000 statements a second each; the log holds 0.25 s of its first second and
    // 0.6 s of its last: 7.85 s of statements on a one-second clock.
    const events: TraceEvent[] = [];
    const from = 0.75e6,
      to = 8.6e6;
    for (let c = 0; c < 8; c++) {
      for (let t = from + c * 37; t < to; t += 1_000)
        events.push({ ts: T0 + Math.floor(t / 1e6) * 1e6, session: `c${c}`, sql: `SELECT c FROM t WHERE id = ${Math.floor(t) % 9}` });
    }
    events.sort((a, b) => a.ts - b.ts);
    const model = await generator.train(trace(events, { resolutionUs: 1_000_000, dialect: 'mysql' }));
    const synthetic = await collect(generator.generate(model, { seed: 7, events: events.length }));
    const span = (synthetic.at(-1)!.ts - synthetic[0]!.ts) / 1e6;
    // Spread over whole seconds, the edge seconds would stretch it to ~9 s (the rate 13% low).
    expect(span).toBeGreaterThan(7.6);
    expect(span).toBeLessThan(8.2);
  });
});

describe('values bound to each other within a statement', () => {
  it('draws the values it may not publish apart from the ones it does, so a slot repeats as often as it did', async () => {
    // 40 hot ids take 80% of the lookups; the rest are spread over 1..20,000, mostly seen once.
    const events: TraceEvent[] = [];
    const prng = new Prng('ids');
    const next = () => prng.next();
    for (let i = 0; i < 20_000; i++) {
      const id = next() < 0.8 ? 9_990 + Math.floor(next() * 40) : 1 + Math.floor(next() * 20_000);
      events.push({ ts: T0 + i * 1_000, session: `s${i % 4}`, sql: 'SELECT c FROM sbtest1 WHERE id = $1', params: [String(id)] });
    }
    const repeated = (values: readonly unknown[]) => {
      const seen = new Set<string>();
      let n = 0;
      for (const v of values)
        if (seen.has(String(v))) n++;
        else seen.add(String(v));
      return n / values.length;
    };
    const model = await new MarkovGenerator().train(trace(events));
    const synthetic = await collect(new MarkovGenerator().generate(model, { seed: 8, events: events.length }));
    const original = repeated(events.map((e) => e.params![0]));
    expect(Math.abs(repeated(synthetic.map((e) => e.params![0])) - original)).toBeLessThan(0.02);
  });

  it("keeps BETWEEN ? AND ? at its fixed width, so a range repeats as often as its start (sysbench's range queries)", async () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 2_000; i++) {
      const start = 4_000 + ((i * 7_919) % 200); // 200 distinct starts, each seen 10 times
      events.push({
        ts: T0 + i * 1_000,
        session: `s${i % 4}`,
        sql: 'SELECT c FROM sbtest1 WHERE id BETWEEN $1 AND $2',
        params: [String(start), String(start + 99)],
      });
    }
    const generator = new MarkovGenerator();
    const model = await generator.train(trace(events));
    expect(model.profile.templates[0]!.offsets).toEqual({ 2: [99, 1] });
    const synthetic = await collect(generator.generate(model, { seed: 6 }));
    expect(synthetic.every((e) => Number(e.params![1]) - Number(e.params![0]) === 99)).toBe(true);
    expect(synthetic.every((e) => typeof e.params![1] === 'string')).toBe(true);
  });

  it('learns no offset for slots that are not bound to each other', async () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 2_000; i++)
      events.push({ ts: T0 + i * 1_000, session: 's', sql: 'SELECT c FROM t WHERE a = $1 AND b = $2', params: [String(i % 50), String((i * 31) % 47)] });
    const model = await new MarkovGenerator().train(trace(events));
    expect(model.profile.templates[0]!.offsets).toBeUndefined();
  });
});
