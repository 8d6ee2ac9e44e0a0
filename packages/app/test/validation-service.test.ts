import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TraceFileSource } from '@sqltrace/core';
import { MarkovGenerator, saveModelFile } from '@sqltrace/generators';
import { parseLogsToTrace } from '@sqltrace/parser';
import { GenerationService, OptionError, ValidationService } from '@sqltrace/app';

/** The bundled shop log, and a synthetic trace of it from a Markov model: what `stb demo` validates. */
const DEMO_LOG = resolve(__dirname, '../../cli/assets/demo/shop-postgres.log');
const dir = mkdtempSync(join(tmpdir(), 'stb-app-validate-'));
const original = join(dir, 'shop.jsonl');
const synthetic = join(dir, 'synthetic.jsonl');

beforeAll(async () => {
  await parseLogsToTrace([DEMO_LOG], { output: original });
  const generator = new MarkovGenerator();
  const model = join(dir, 'model.json');
  await saveModelFile(model, generator.name, (await generator.train(new TraceFileSource(original))).toJSON());
  const service = new GenerationService();
  await service.generate(await service.load(model), { output: synthetic, seed: '1' });
});

describe('ValidationService', () => {
  const service = new ValidationService();

  // Failed arrival-rate and concurrency (0.67) while the closed loop's connectors were judged by gaps read off a millisecond clock.
  it("passes the demo's synthetic trace and writes the HTML and JSON reports", async () => {
    const html = join(dir, 'report.html'),
      json = join(dir, 'report.json');
    const report = await service.validate({ original, synthetic, html, json });
    expect(report.passed).toBe(true);
    expect(report.original.events).toBe(1_500);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ schema: 'sqltrace-fidelity-report', score: report.score, failed: [] });
  });

  it("fails a property whose threshold is set below the trace's effect, and a score under failUnder", async () => {
    const strict = await service.validate({ original, synthetic, thresholds: { 'template-mix': 0 }, failUnder: 0.999 });
    expect(strict.passed).toBe(false);
    expect(strict.properties.find((p) => p.property === 'template-mix')!.threshold).toBe(0);
  });

  it('names a bad option by its field, and writes nothing', async () => {
    const html = join(dir, 'never.html');
    for (const [request, field, message] of [
      [{ failUnder: 2 }, 'failUnder', 'failUnder must be a score between 0 and 1, got 2'],
      [{ thresholds: { speed: 3 } }, 'threshold', 'threshold speed=3: expected name=value with a value ≥ 0'],
    ] as const) {
      const error = await service.validate({ original, synthetic, html, ...request }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OptionError);
      expect([(error as OptionError).field, (error as Error).message]).toEqual([field, message]);
    }
    expect(existsSync(html)).toBe(false);
  });
});
