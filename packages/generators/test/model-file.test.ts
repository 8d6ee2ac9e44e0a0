import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarkovGenerator, GeneratorRegistry, MODEL_FORMAT_VERSION, loadModelFile, saveModelFile } from '@sqltrace/generators';

const dir = mkdtempSync(join(tmpdir(), 'stb-model-'));

describe('model files', () => {
  it('round-trip with their strategy and version', async () => {
    const path = join(dir, 'model.json');
    await saveModelFile(path, 'markov', { order: 2 });
    const file = await loadModelFile(path, 'markov');
    expect(file).toMatchObject({ format: 'sqltrace-model', formatVersion: MODEL_FORMAT_VERSION, strategy: 'markov', model: { order: 2 } });
  });

  it('refuse what is not a model, a newer version and another strategy, saying so', async () => {
    const trace = join(dir, 'trace.jsonl');
    writeFileSync(trace, '{"ts":1,"session":"a","sql":"SELECT 1"}\n{"ts":2,"session":"a","sql":"SELECT 2"}\n');
    await expect(loadModelFile(trace)).rejects.toThrow(`${trace}: not a model file (it is a trace)`);
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": "world"}');
    await expect(loadModelFile(other)).rejects.toThrow(`${other}: not a model file (no "format": "sqltrace-model")`);
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ format: 'sqltrace-model', formatVersion: 99, strategy: 'markov', model: {} }));
    await expect(loadModelFile(newer)).rejects.toThrow(/model format version 99 is newer than this tool reads/);
    const lstm = join(dir, 'lstm.json');
    await saveModelFile(lstm, 'lstm', {});
    await expect(loadModelFile(lstm, 'markov')).rejects.toThrow(`${lstm}: a lstm model, not a markov one`);
    await expect(loadModelFile(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: no such file/);
  });
});

describe('generator registry', () => {
  it('creates strategies by name and names the choices when one is unknown', () => {
    const registry = new GeneratorRegistry().register('markov', () => new MarkovGenerator());
    expect(registry.create('markov').name).toBe('markov');
    expect(registry.names()).toEqual(['markov']);
    expect(() => registry.create('gpt')).toThrow('no workload model named "gpt"');
    expect(() => registry.register('markov', () => registry.create('markov'))).toThrow(/already registered/);
  });
});

describe('damaged models (what fuzzing the model loader found)', () => {
  async function trained(): Promise<Record<string, any>> {
    const events = Array.from({ length: 400 }, (_, i) => ({
      ts: 1_765_000_000_000_000 + i * 10_000,
      session: `s${Math.floor(i / 20)}`,
      sql: i % 2 ? 'SELECT name FROM t WHERE id = $1' : 'UPDATE t SET n = n + 1 WHERE id = $1',
      params: [String(i % 13)],
    }));
    const model = await new MarkovGenerator().train({
      name: 'm',
      events: async function* () {
        yield* events;
      },
    });
    return JSON.parse(JSON.stringify(model.toJSON()));
  }

  async function outcome(json: unknown): Promise<string> {
    const generator = new MarkovGenerator();
    try {
      let n = 0;
      for await (const _ of generator.generate(generator.loadModel(json, 'damaged.json'), { seed: 1, events: 100 })) n++;
      return `generated ${n}`;
    } catch (error) {
      return `${(error as { code?: string }).code}: ${(error as Error).message}`;
    }
  }

  it('refuses an arrival count the trace cannot have had (it filled memory until V8 aborted)', async () => {
    const m = await trained();
    m.profile.arrivals.counts[0] = Number.MAX_SAFE_INTEGER;
    expect(await outcome(m)).toMatch(/^E_MODEL: .*arrival curve counts more sessions than the trace had/);
  });

  it('refuses data of the wrong shape met while the samplers are built (it crashed with a TypeError)', async () => {
    const m = await trained();
    const slot = m.profile.templates.find((t: { params: unknown[] }) => t.params.length > 0).params[0];
    slot.frequent = { values: 'x', other: 1 };
    expect(await outcome(m)).toMatch(/^E_MODEL: the model is damaged \(/);
  });
});

describe('a model with nothing to start a session from', () => {
  it('is refused instead of writing an empty trace with exit 0', async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ ts: 1_765_000_000_000_000 + i * 10_000, session: `s${Math.floor(i / 10)}`, sql: 'SELECT 1' }));
    const json = JSON.parse(
      JSON.stringify(
        (
          await new MarkovGenerator().train({
            name: 'm',
            events: async function* () {
              yield* events;
            },
          })
        ).toJSON(),
      ),
    );
    json.profile.arrivals.counts = json.profile.arrivals.counts.map(() => 0);
    delete json.profile.population;
    const generator = new MarkovGenerator();
    const run = async () => {
      for await (const _ of generator.generate(generator.loadModel(json, 'zero.json'), { seed: 1, events: 50 })) void _;
    };
    await expect(run()).rejects.toThrow('the model has no session arrivals and no sessions open at the start: nothing to generate from');
  });
});
