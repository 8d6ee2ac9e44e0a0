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
