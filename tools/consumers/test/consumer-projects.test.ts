import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Another team's project: the packages packed as npm would publish them, installed from the
 * tarballs into a fresh project outside the repository (their registry dependencies from npm's
 * cache or the registry), and used through their documented APIs. Jest, TypeScript and esbuild are
 * the repository's own, as a project's dev dependencies would be.
 */
const ROOT = join(__dirname, '..', '..', '..');
/** Every published package (tag publishable), packed; the project installs the first four. */
const PUBLISHED = readdirSync(join(ROOT, 'packages')).filter(
  (p) =>
    existsSync(join(ROOT, 'packages', p, 'package.json')) &&
    (JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as { nx?: { tags?: string[] } }).nx?.tags?.includes('publishable'),
);
const INSTALLED = ['@sqltrace/core', '@sqltrace/parser', '@sqltrace/generators', '@sqltrace/validator'];
const BIN = join(ROOT, 'node_modules/.bin');
let tarballs: { name: string; path: string }[] = [];
const DEMO_LOG = join(ROOT, 'packages/cli/assets/demo/shop-postgres.log');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const JEST = join(ROOT, 'node_modules/jest/bin/jest.js');

function run(command: string, args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NODE_OPTIONS: '' }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string): string {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr}\n${r.stdout}`.slice(0, 4_000));
  return r.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'stb-consumer-'));
const project = join(work, 'project');

/** The documented use of core, parser, generators and validator, as ESM or CommonJS. */
function markovScript(kind: 'esm' | 'cjs'): string {
  const load =
    kind === 'esm'
      ? `import { TraceFileSink, TraceFileSource } from '@sqltrace/core';
import { parseLogsToTrace } from '@sqltrace/parser';
import { MarkovGenerator, defaultRegistry } from '@sqltrace/generators';
import { WorkloadValidator } from '@sqltrace/validator';
`
      : `const { TraceFileSink, TraceFileSource } = require('@sqltrace/core');
const { parseLogsToTrace } = require('@sqltrace/parser');
const { MarkovGenerator, defaultRegistry } = require('@sqltrace/generators');
const { WorkloadValidator } = require('@sqltrace/validator');
`;
  const body = `
async function main() {
  const [log, out] = process.argv.slice(2);
  const parsed = await parseLogsToTrace([log], { output: out + '.trace.jsonl', threads: 0 });
  const markov = new MarkovGenerator();
  const model = await markov.train(new TraceFileSource(out + '.trace.jsonl'));
  const sink = new TraceFileSink(out + '.synthetic.jsonl');
  await sink.writeHeader({ version: 1, source: 'synthetic' });
  for await (const event of markov.generate(model, { seed: 7, events: 1500 })) await sink.write([event]);
  await sink.close();
  const report = await new WorkloadValidator().compare(new TraceFileSource(out + '.trace.jsonl'), new TraceFileSource(out + '.synthetic.jsonl'));
  let neural;
  try {
    await defaultRegistry().create('lstm').train(new TraceFileSource(out + '.trace.jsonl'));
    neural = 'trained';
  } catch (error) {
    neural = { code: error.code, message: error.message, hint: error.hint };
  }
  console.log(JSON.stringify({ parsed: parsed.inputs[0].events, written: sink.count, templates: model.profile.templates.length, failed: report.failed, neural }));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;
  return load + body;
}

const TYPED = `import { TraceFileSource, type TraceEvent } from '@sqltrace/core';
import { parseLogsToTrace, type ParseLogsToTraceResult } from '@sqltrace/parser';
import { MarkovGenerator, defaultRegistry, type MarkovModel } from '@sqltrace/generators';
import { WorkloadValidator, assertWorkloadSimilar, type FidelityReportJson } from '@sqltrace/validator';

export async function learn(log: string, out: string): Promise<{ result: ParseLogsToTraceResult; model: MarkovModel; first: TraceEvent | undefined; report: FidelityReportJson }> {
  const result = await parseLogsToTrace([log], { output: out, threads: 0 });
  const model = await new MarkovGenerator().train(new TraceFileSource(out), { settings: { order: 2 } });
  let first: TraceEvent | undefined;
  for await (const event of new MarkovGenerator().generate(model, { seed: 1, events: 1 })) first = event;
  const report = await new WorkloadValidator().compare(new TraceFileSource(out), new TraceFileSource(out));
  await assertWorkloadSimilar(out, out);
  defaultRegistry().create('markov');
  return { result, model, first, report };
}
`;

const JEST_GLOBAL = `require('@sqltrace/validator/jest');
const { original, shifted } = require('./traces.cjs');

test('toMatchWorkload on the global expect', async () => {
  await expect(original(1)).toMatchWorkload(original(2));
  await expect(shifted()).not.toMatchWorkload(original(1));
});
`;

const JEST_GLOBALS_IMPORT = `const { expect, test } = require('@jest/globals');
require('@sqltrace/validator/jest');
const { original, shifted } = require('./traces.cjs');

test('toMatchWorkload on expect from @jest/globals', async () => {
  await expect(original(1)).toMatchWorkload(original(2));
  await expect(shifted()).not.toMatchWorkload(original(1));
});
`;

/** Two tables read in turn by 300 sessions; `shifted` reads only the first. */
const TRACES = `function trace(seed, tables) {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const events = [];
  for (let i = 0; i < 300; i++) {
    let ts = i * 10000 + Math.floor(random() * 5000);
    for (let k = 0; k < 5; k++) {
      const table = tables[k % tables.length];
      events.push({ ts, session: 's' + i, sql: 'SELECT * FROM ' + table + ' WHERE id = ' + k, templateId: table, durationUs: 100 });
      ts += 1000 + Math.floor(random() * 1000);
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}
module.exports = { original: (seed) => trace(seed, ['a', 'b']), shifted: () => trace(3, ['a']) };
`;

const JEST_TYPES_GLOBALS = `import { expect, test } from '@jest/globals';
import '@sqltrace/validator/jest';

test('typed', async () => {
  await expect('synthetic.jsonl').toMatchWorkload('trace.jsonl', { 'template-mix': 0.03 });
  await expect('synthetic.jsonl').resolves.toBeDefined();
});
`;

const JEST_TYPES_GLOBAL = `import '@sqltrace/validator/jest';

test('typed', async () => {
  await expect('synthetic.jsonl').toMatchWorkload('trace.jsonl', { 'template-mix': 0.03 });
});
`;

function tsconfig(name: string, compilerOptions: Record<string, unknown>, files: string[]): string {
  const path = join(project, `tsconfig.${name}.json`);
  writeFileSync(
    path,
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          target: 'ES2022',
          lib: ['ES2023'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
          ...compilerOptions,
        },
        files,
      },
      null,
      2,
    ),
  );
  return path;
}

beforeAll(() => {
  mkdirSync(project);
  const packed = JSON.parse(
    ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, ...PUBLISHED.flatMap((p) => ['-w', `@sqltrace/${p}`])], ROOT), 'npm pack'),
  ) as { name: string; filename: string }[];
  tarballs = packed.map((p) => ({ name: p.name, path: join(work, p.filename) }));
  const dependencies = Object.fromEntries(tarballs.filter((t) => INSTALLED.includes(t.name)).map((t) => [t.name, `file:${t.path}`]));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies }, null, 2));
  ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], project), 'npm install of the tarballs');
  writeFileSync(join(project, 'markov.mjs'), markovScript('esm'));
  writeFileSync(join(project, 'markov.cjs'), markovScript('cjs'));
  writeFileSync(join(project, 'typed.ts'), TYPED);
  writeFileSync(join(project, 'traces.cjs'), TRACES);
  writeFileSync(join(project, 'global.test.cjs'), JEST_GLOBAL);
  writeFileSync(join(project, 'jest-globals.test.cjs'), JEST_GLOBALS_IMPORT);
  writeFileSync(join(project, 'typed-globals.ts'), JEST_TYPES_GLOBALS);
  writeFileSync(join(project, 'typed-global.ts'), JEST_TYPES_GLOBAL);
  writeFileSync(join(project, 'jest.config.cjs'), "module.exports = { testEnvironment: 'node', transform: {}, testMatch: ['**/*.test.cjs'] };\n");
}, 300_000);

describe('a project that installs the packed packages', () => {
  it('installs a Markov-only @sqltrace/generators without TensorFlow.js', () => {
    const tree = ok(run('npm', ['ls', '--all', '--parseable'], project), 'npm ls');
    expect(tree).toContain('@sqltrace/generators');
    expect(tree.split('\n').filter((line) => line.includes('@tensorflow'))).toEqual([]);
  });

  it.each(['markov.mjs', 'markov.cjs'])('%s: parses, trains, generates and validates; a neural strategy names what to install', (script) => {
    const out = JSON.parse(ok(run(process.execPath, [script, DEMO_LOG, join(work, script)], project), script)) as Record<string, unknown>;
    // As many events as asked, give or take the sessions' last transactions, which finish.
    expect(out).toMatchObject({ parsed: 1_500, failed: [] });
    expect(Math.abs((out.written as number) - 1_500)).toBeLessThanOrEqual(15);
    expect(out.templates).toBeGreaterThan(5);
    expect(out.neural).toEqual({
      code: 'E_USAGE',
      message: 'the lstm and transformer strategies need TensorFlow.js, which is not installed',
      hint: 'Install it beside @sqltrace/generators: `npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm` (or use the markov strategy)',
    });
  });

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['node10', { module: 'commonjs', moduleResolution: 'node10' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('type-checks against the published types under %s resolution, skipLibCheck off', (name, options) => {
    const r = run(process.execPath, [TSC, '-p', tsconfig(name, options, ['typed.ts'])], project);
    expect({ code: r.code, errors: r.stdout }).toEqual({ code: 0, errors: '' });
  });

  it.each([
    ['with @jest/globals', 'typed-globals.ts', [] as string[]],
    ['with the Jest globals (@types/jest)', 'typed-global.ts', ['node', 'jest']],
  ])('types toMatchWorkload %s, under node16 and node10', (_what, file, types) => {
    // Jest as a dev dependency: its packages from the repository.
    const paths = {
      '@jest/globals': [join(ROOT, 'node_modules/@jest/globals/build/index.d.ts')],
      expect: [join(ROOT, 'node_modules/expect/build/index.d.ts')],
    };
    for (const [name, options] of [
      ['node16', { module: 'node16', moduleResolution: 'node16' }],
      ['node10', { module: 'commonjs', moduleResolution: 'node10' }],
    ] as const) {
      const r = run(process.execPath, [TSC, '-p', tsconfig(`${name}-${file}`, { ...options, paths, ...(types.length > 0 ? { types } : {}) }, [file])], project);
      expect({ resolution: name, code: r.code, errors: r.stdout }).toEqual({ resolution: name, code: 0, errors: '' });
    }
  });

  it('runs toMatchWorkload in Jest, on the global expect and on @jest/globals', () => {
    const results = join(work, 'jest-results.json');
    const r = run(process.execPath, [JEST, '--ci', '--rootDir', project, '--json', '--outputFile', results], project);
    const json = JSON.parse(readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    expect({ code: r.code, passed: json.numPassedTests, failed: json.numFailedTests }).toEqual({ code: 0, passed: 2, failed: 0 });
  });

  it.each(['esm', 'cjs'] as const)('works bundled by esbuild (%s), the Jest entry kept', async (format) => {
    const entry = join(project, 'bundle-entry.mjs');
    writeFileSync(entry, `import '@sqltrace/validator/jest';\n${markovScript('esm')}`);
    const outfile = join(work, `bundle.${format === 'esm' ? 'mjs' : 'cjs'}`);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      logLevel: 'silent',
      // An ESM bundle of CommonJS dependencies needs `require` for Node's built-ins.
      ...(format === 'esm' ? { banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } } : {}),
    });
    const text = readFileSync(outfile, 'utf8');
    expect(text).toMatch(/\.extend\(workloadMatchers\)/);
    const out = JSON.parse(ok(run(process.execPath, [outfile, DEMO_LOG, join(work, `bundle-${format}`)], work), `the ${format} bundle`)) as Record<
      string,
      unknown
    >;
    expect(out).toMatchObject({ parsed: 1_500, failed: [], neural: { code: 'E_USAGE' } });
    expect(Math.abs((out.written as number) - 1_500)).toBeLessThanOrEqual(15);
  });
});

describe('the published packages, as a registry would get them', () => {
  it('are all packed (every package tagged publishable)', () => {
    expect(tarballs.map((t) => t.name).sort()).toEqual(PUBLISHED.map((p) => `@sqltrace/${p}`).sort());
    expect(PUBLISHED.length).toBeGreaterThanOrEqual(12);
  });

  it('carry what a registry page shows: licence file, repository (with the package folder), homepage, issues, public access', () => {
    const missing: Record<string, string[]> = {};
    for (const p of PUBLISHED) {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as Record<string, unknown>;
      const repository = pkg.repository as { url?: string; directory?: string } | undefined;
      const gaps = [
        ...['description', 'keywords', 'license', 'homepage', 'bugs'].filter((field) => pkg[field] === undefined),
        ...(repository?.url === undefined ? ['repository.url'] : []),
        ...(repository?.directory === `packages/${p}` ? [] : ['repository.directory']),
        ...((pkg.publishConfig as { access?: string } | undefined)?.access === 'public' ? [] : ['publishConfig.access']),
        ...(existsSync(join(ROOT, 'packages', p, 'LICENSE')) ? [] : ['LICENSE']),
      ];
      if (gaps.length > 0) missing[p] = gaps;
    }
    expect(missing).toEqual({});
  });

  it('pass publint --strict and Are the Types Wrong for every entry (node10, node16 CJS and ESM, bundler)', () => {
    const findings: Record<string, unknown> = {};
    for (const t of tarballs) {
      const lint = run(join(BIN, 'publint'), ['--strict', t.path], work);
      if (lint.code !== 0 || !lint.stdout.includes('All good!')) findings[`publint ${t.name}`] = lint.stdout + lint.stderr;
      const attw = run(join(BIN, 'attw'), [t.path, '--format', 'json'], work);
      const problems = (JSON.parse(attw.stdout) as { analysis: { problems: unknown[] } }).analysis.problems;
      if (attw.code !== 0 || problems.length > 0) findings[`attw ${t.name}`] = problems;
    }
    expect(findings).toEqual({});
  }, 180_000);
});
