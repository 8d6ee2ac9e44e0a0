import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isStbError, TraceFileSource } from '@sqltrace/core';
import { MarkovGenerator } from '@sqltrace/generators';
import { parseLogsToTrace } from '@sqltrace/parser';
import { fuzz } from '../src/fuzz-run';
import { mutatedLines } from '../src/mutations';
import { demoLog, parserFixture } from '../src/seeds';

/**
 * The trace reader on mutated trace files and the model loader (then a short generation) on
 * mutated model files: a clear error naming what is wrong, or a result — never a crash or a hang.
 */
const dir = mkdtempSync(join(tmpdir(), 'stb-fuzz-trace-'));
let traceLines: string[] = [];
let model: unknown;

beforeAll(async () => {
  const trace = join(dir, 'seed.jsonl');
  await parseLogsToTrace([parserFixture('errlog'), demoLog], { output: trace, threads: 0 });
  traceLines = readFileSync(trace, 'utf8').trim().split('\n');
  const generator = new MarkovGenerator();
  model = (await generator.train(new TraceFileSource(trace))).toJSON();
}, 60_000);

let refused = 0;

describe('fuzz: the trace reader', () => {
  it('reads every event of a mutated trace, or stops with an error naming the file and line', async () => {
    const path = join(dir, 'mutated.jsonl');
    refused = 0;
    const arbitrary = fc
      .tuple(mutatedLines(traceLines, 200), fc.boolean())
      .map(([lines, header]) => (header ? [traceLines[0]!, ...lines] : lines).join('\n') + '\n');
    const runs = await fuzz('trace reader', arbitrary, async (text) => {
      writeFileSync(path, text);
      try {
        for await (const event of new TraceFileSource(path).events()) {
          expect(typeof event.sql === 'string' && typeof event.session === 'string' && Number.isFinite(event.ts)).toBe(true);
        }
      } catch (error) {
        if (isStbError(error) && /mutated\.jsonl(:\d+)?/.test(error.message)) {
          refused++;
          return;
        }
        throw error;
      }
    });
    process.stdout.write(`fuzz trace reader: ${refused} of ${runs} inputs refused with a clear error\n`);
    expect(runs).toBeGreaterThan(20);
  }, 120_000);
});

/** Every path into a JSON value (object keys and array indexes), breadth first, up to `max`. */
function paths(value: unknown, max = 5_000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const queue: [unknown, (string | number)[]][] = [[value, []]];
  while (queue.length > 0 && out.length < max) {
    const [v, path] = queue.shift()!;
    if (path.length > 0) out.push(path);
    if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => queue.push([x, [...path, i]]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) queue.push([x, [...path, k]]);
  }
  return out;
}

const NASTY_VALUES: unknown[] = [null, -1, 0, 1e308, -1e308, 0.5, '', 'x', [], {}, true, [0], [-1, 1], Number.MAX_SAFE_INTEGER];

describe('fuzz: the model loader', () => {
  it('loads a mutated model and generates from it, or refuses it with a clear error', async () => {
    const all = paths(model);
    const generator = new MarkovGenerator();
    refused = 0;
    const edit = fc.tuple(
      fc.nat({ max: all.length - 1 }),
      fc.oneof(
        fc.constant({ delete: true as const }),
        fc.constantFrom(...NASTY_VALUES).map((value) => ({ value })),
        fc.jsonValue({ maxDepth: 2 }).map((value) => ({ value })),
      ),
    );
    const runs = await fuzz('model loader', fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
      const json = structuredClone(model) as Record<string, unknown>;
      for (const [at, change] of edits) {
        const path = all[at]!;
        let parent: unknown = json;
        for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | null)?.[key];
        if (parent === null || typeof parent !== 'object') continue;
        const key = path[path.length - 1]!;
        if ('delete' in change) delete (parent as Record<string | number, unknown>)[key];
        else (parent as Record<string | number, unknown>)[key] = change.value;
      }
      try {
        const loaded = generator.loadModel(JSON.parse(JSON.stringify(json)), 'mutated.json');
        let n = 0;
        const started = performance.now();
        for await (const event of generator.generate(loaded, { seed: 1, events: 300 })) {
          expect(typeof event.sql).toBe('string');
          n++;
        }
        // Bounded (a template edited out of its role — a COMMIT become "x" — needs forced ends to close its transactions: bounded, not a runaway).
        expect(n).toBeLessThanOrEqual(600);
        expect(performance.now() - started).toBeLessThan(5_000);
      } catch (error) {
        if (isStbError(error) && (error.code === 'E_MODEL' || error.code === 'E_USAGE')) {
          refused++;
          return;
        }
        throw error;
      }
    });
    process.stdout.write(`fuzz model loader: ${refused} of ${runs} mutated models refused with a clear error, the rest generated\n`);
    expect(runs).toBeGreaterThan(20);
  }, 120_000);
});
