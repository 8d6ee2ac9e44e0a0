import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isStbError, TraceFileSource } from '@sqltrace/core';
import { MarkovGenerator, saveModelFile } from '@sqltrace/generators';
import { parseLogsToTrace } from '@sqltrace/parser';
import { GenerationService } from '@sqltrace/app';

/** The bundled shop log (real PostgreSQL output, 1,500 statements in 184 sessions), trained once. */
const DEMO_LOG = resolve(__dirname, '../../cli/assets/demo/shop-postgres.log');
const dir = mkdtempSync(join(tmpdir(), 'stb-app-'));
const modelPath = join(dir, 'shop-model.json');

beforeAll(async () => {
  const trace = join(dir, 'shop.jsonl');
  await parseLogsToTrace([DEMO_LOG], { output: trace });
  const generator = new MarkovGenerator();
  await saveModelFile(modelPath, generator.name, (await generator.train(new TraceFileSource(trace))).toJSON());
});

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('GenerationService', () => {
  const service = new GenerationService();

  it('writes a whole synthetic trace from a model file: header, events, counts, progress per batch', async () => {
    const output = join(dir, 'synthetic.jsonl');
    const progress: number[] = [];
    const summary = await service.generate(
      await service.load(modelPath),
      { output, events: 3_000, seed: '7', writtenBy: 'test' },
      { onProgress: (p) => progress.push(p.events) },
    );
    const [header, ...events] = lines(output);
    expect(header).toEqual({
      $trace: expect.objectContaining({ source: 'synthetic', generator: 'test (markov)', seed: '7', resolutionUs: 1, dialect: 'postgres' }),
    });
    expect(events).toHaveLength(summary.events);
    expect(Math.abs(summary.events - 3_000)).toBeLessThanOrEqual(30);
    expect(summary.sessions).toBe(new Set(events.map((e) => e.session)).size);
    expect(summary.spanSeconds).toBeCloseTo(((events.at(-1)!.ts as number) - (events[0]!.ts as number)) / 1e6, 6);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toBe(summary.events);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('gives the same bytes for the same seed', async () => {
    const loaded = await service.load(modelPath);
    const a = join(dir, 'a.jsonl'),
      b = join(dir, 'b.jsonl');
    await service.generate(loaded, { output: a, events: 500, seed: 's' });
    await service.generate(loaded, { output: b, events: 500, seed: 's' });
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('stops when cancelled, leaving no file and no temporary one', async () => {
    const work = mkdtempSync(join(tmpdir(), 'stb-app-cancel-'));
    const output = join(work, 'cancelled.jsonl');
    const controller = new AbortController();
    const run = service.generate(
      await service.load(modelPath),
      { output, events: 200_000 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.events >= 2_048) controller.abort();
        },
      },
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStbError(error) && error.code).toBe('E_USAGE');
    expect((error as Error).message).toMatch(/cancelled/);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(work)).toEqual([]);
  });

  it('refuses a model file that is not there with one clear error naming it', async () => {
    const error = await service.load(join(dir, 'missing.json')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStbError(error)).toBe(true);
    expect((error as Error).message).toContain('missing.json');
  });
});
