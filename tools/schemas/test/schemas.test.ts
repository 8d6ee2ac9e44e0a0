import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { NeuralGenerator, saveModelFile } from '@sqltrace/generators';
import { TraceFileSource } from '@sqltrace/core';
import { FORMATS, type Format } from '../src/formats';
import { ROOT, generateSchema, schemaPath, schemaText } from '../src/generate-schema';

/**
 * The published JSON Schemas are the TypeScript types' (regenerate with `npm run -w
 * @sqltrace/schemas-tool schemas`), and every file the tools write validates against its schema:
 * a trace from `stb parse` and from `stb generate`, Markov and LSTM model files, a fidelity report,
 * benchmark results. (The CLI runs built: this project's test depends on the packages' builds.)
 */
const STB = join(ROOT, 'packages/cli/bin/run.js');
const DEMO_LOG = join(ROOT, 'packages/cli/assets/demo/shop-postgres.log');
const dir = mkdtempSync(join(tmpdir(), 'stb-schemas-'));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validators = new Map<string, ValidateFunction>();

function validator(type: string): ValidateFunction {
  const format = FORMATS.find((f) => f.type === type)!;
  let v = validators.get(type);
  if (v === undefined) validators.set(type, (v = ajv.compile(JSON.parse(readFileSync(schemaPath(format), 'utf8')) as object)));
  return v;
}

/** The validation errors of `value` against a format's schema, readably (empty when it validates). */
function errors(type: string, value: unknown): string[] {
  const v = validator(type);
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Runs the built CLI; `validate` exits 1 when a property fails, with its report written all the same. */
function stb(args: string[], exitCodes: readonly number[] = [0]): string {
  const r = spawnSync(process.execPath, [STB, ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  if (!exitCodes.includes(r.status ?? -1)) throw new Error(`stb ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A trace file's lines: its header and events checked against their own schemas. */
function traceErrors(path: string): string[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const found: string[] = [];
  lines.forEach((line, i) => {
    const value = JSON.parse(line) as Record<string, unknown>;
    for (const e of i === 0 && '$trace' in value ? errors('TraceHeaderLine', value) : errors('TraceEventLine', value)) found.push(`line ${i + 1}: ${e}`);
  });
  return found.slice(0, 10);
}

describe('the JSON Schemas of the file formats', () => {
  it.each(FORMATS.map((f) => [f.file, f] as [string, Format]))(
    '%s is the one its TypeScript type gives (run `npm run -w @sqltrace/schemas-tool schemas` after changing the type)',
    (_file, format) => {
      expect(readFileSync(schemaPath(format), 'utf8')).toBe(schemaText(generateSchema(format)));
    },
  );

  it('are published by their packages under ./schemas/*', () => {
    for (const format of FORMATS) {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', format.package, 'package.json'), 'utf8')) as {
        files: string[];
        exports: Record<string, unknown>;
      };
      expect({ package: format.package, files: pkg.files.includes('schemas'), exported: pkg.exports['./schemas/*'] }).toEqual({
        package: format.package,
        files: true,
        exported: './schemas/*',
      });
    }
  });

  it('reject what their format forbids: an event without a session, a model file of another format, a report field of the wrong type', () => {
    expect(errors('TraceEventLine', { ts: 1, sql: 'SELECT 1' }).join()).toMatch(/must have required property 'session'/);
    expect(errors('TraceEventLine', { ts: 1, session: 's', sql: 'SELECT 1', colour: 'red' }).join()).toMatch(/must NOT have additional properties/);
    expect(errors('ModelFileJson', { format: 'other', formatVersion: 1, strategy: 'markov', model: {} })).not.toEqual([]);
    expect(errors('FidelityReportFile', { schema: 'sqltrace-fidelity-report', version: 1, score: 'high' })).not.toEqual([]);
  });
});

describe('every file the tools write validates against its schema', () => {
  const trace = join(dir, 'trace.jsonl');
  const model = join(dir, 'model.json');
  const synthetic = join(dir, 'synthetic.jsonl');
  beforeAll(() => {
    stb(['parse', DEMO_LOG, '-o', trace]);
    stb(['train', trace, '-o', model]);
    stb(['generate', model, '-n', '3000', '-o', synthetic]);
  }, 120_000);

  it('a trace from stb parse and one from stb generate', () => {
    expect(traceErrors(trace)).toEqual([]);
    expect(traceErrors(synthetic)).toEqual([]);
  });

  it('a Markov model file (stb train) and an LSTM one', async () => {
    expect(errors('ModelFileJson', JSON.parse(readFileSync(model, 'utf8')))).toEqual([]);
    const lstm = await new NeuralGenerator('lstm').train(new TraceFileSource(trace), {
      settings: { epochs: 1, windowsPerEpoch: 500, batchSize: 32, embedding: 8, units: 16 },
    });
    const lstmFile = join(dir, 'lstm.json');
    await saveModelFile(lstmFile, 'lstm', lstm.toJSON());
    expect(errors('ModelFileJson', JSON.parse(readFileSync(lstmFile, 'utf8')))).toEqual([]);
  }, 120_000);

  it('a fidelity report (stb validate --json)', () => {
    const report = JSON.parse(stb(['validate', trace, synthetic, '--json'], [0, 1])) as unknown;
    expect(errors('FidelityReportFile', report)).toEqual([]);
  });

  it('benchmark results (stb bench -o), a replay and a closed loop', () => {
    for (const [name, extra] of [
      ['replay', ['--speed', 'max']],
      ['closed', ['--mode', 'closed', '--duration', '1s', '-c', '2']],
    ] as const) {
      const out = join(dir, `${name}.json`);
      stb(['bench', synthetic, '--driver', 'sqlite', '--url', `sqlite:${join(dir, `${name}.db`)}`, ...extra, '-o', out]);
      expect({ name, errors: errors('BenchResultsFile', JSON.parse(readFileSync(out, 'utf8'))) }).toEqual({ name, errors: [] });
    }
  });
});
