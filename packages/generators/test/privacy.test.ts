import type { TraceEvent } from '@sqltrace/core';
import { MarkovGenerator } from '@sqltrace/generators';
import { collect, DEMO_LOG, memoryTrace, parseLog } from './helpers';

/**
 * The privacy rule: a literal reaches generated SQL only if it occurred at least k times in the
 * training trace (default 5), and passwords, connection strings and file paths never enter a model.
 */
describe('privacy', () => {
  const RARE_ID = 987_654_321;
  const RARE_EMAIL = 'ceo.planted.secret@example.com';
  const PASSWORD = 'Hunter2-Planted!';
  const CONNECTION = 'host=db.internal user=admin password=PlantedPw';
  const PATH = '/var/lib/exports/planted-customers.csv';
  const SECRETS = [String(RARE_ID), RARE_EMAIL, PASSWORD, 'PlantedPw', PATH];

  let trace: TraceEvent[];
  beforeAll(async () => {
    trace = await parseLog(DEMO_LOG);
    const sessions = [...new Set(trace.map((e) => e.session))];
    const plant = (i: number, event: Omit<TraceEvent, 'ts' | 'session'>) => {
      const anchor = trace.filter((e) => e.session === sessions[i % sessions.length])[0]!;
      trace.push({ ...event, ts: anchor.ts + 1, session: anchor.session });
    };
    // Rare values, 4 times each (under the default k = 5), in ordinary slots.
    for (let i = 0; i < 4; i++) plant(i, { sql: 'SELECT id, email, name FROM users WHERE id = $1', params: [RARE_ID] });
    for (let i = 0; i < 4; i++) plant(i + 4, { sql: 'SELECT id FROM users WHERE email = $1', params: [RARE_EMAIL] });
    // Secrets, 10 times each: frequent, but never to be learned.
    for (let i = 0; i < 10; i++) plant(i, { sql: `ALTER ROLE web WITH PASSWORD '${PASSWORD}'` });
    for (let i = 0; i < 10; i++) plant(i + 1, { sql: 'SELECT dblink_connect($1)', params: [CONNECTION] });
    for (let i = 0; i < 10; i++) plant(i + 2, { sql: `COPY products FROM '${PATH}' WITH (FORMAT csv)` });
    trace.sort((a, b) => a.ts - b.ts);
  });

  it('keeps rare literals and secrets out of the model file and out of every generated event', async () => {
    const generator = new MarkovGenerator();
    const model = await generator.train(memoryTrace(trace));
    const modelText = JSON.stringify(model.toJSON());
    for (const secret of SECRETS) expect(modelText).not.toContain(secret);

    const synthetic = await collect(generator.generate(model, { seed: 'privacy', events: trace.length * 5 }));
    const text = synthetic.map((e) => e.sql + JSON.stringify(e.params ?? [])).join('\n');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // The planted statements themselves are generated (with other values): the rule hides values, not workload.
    expect(synthetic.some((e) => e.sql.startsWith('ALTER ROLE web WITH PASSWORD'))).toBe(true);
    expect(synthetic.some((e) => e.sql.startsWith('SELECT id FROM users WHERE email'))).toBe(true);
  });

  it('does reproduce values seen at least k times (the rule is not "never")', async () => {
    const generator = new MarkovGenerator();
    const model = await generator.train(memoryTrace(trace), { settings: { minValueCount: 4 } });
    const synthetic = await collect(generator.generate(model, { seed: 'privacy', events: trace.length * 5 }));
    // With k = 4 the id planted 4 times may be reproduced; the password still never is.
    const text = synthetic.map((e) => e.sql + JSON.stringify(e.params ?? [])).join('\n');
    expect(JSON.stringify(model.toJSON())).toContain(String(RARE_ID));
    expect(text).toContain(String(RARE_ID));
    expect(text).not.toContain(PASSWORD);
  });
});
