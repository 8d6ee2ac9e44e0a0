import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

/**
 * `import '@sqltrace/validator/jest'` is imported for what it does (it registers the matchers),
 * so a bundler must keep it: the package marks that entry as having side effects. Bundled from the
 * built package, as a consumer's bundler sees it (the test target depends on the build).
 */
describe('the Jest entry in a bundle', () => {
  it.each(['esm', 'cjs'] as const)('esbuild (%s) keeps the matchers and their registration', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'stb-jest-bundle-'));
    const entry = join(dir, 'setup.ts');
    writeFileSync(entry, "import '@sqltrace/validator/jest';\n");
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'node',
      format,
      logLevel: 'silent',
      absWorkingDir: join(__dirname, '..'),
      nodePaths: [join(__dirname, '..', '..', '..', 'node_modules')],
      // The validator's own dependencies stay outside the bundle: what matters is that its entry is
      // kept. esbuild resolves the validator itself, reading its package.json (and `sideEffects`).
      plugins: [
        {
          name: 'others-external',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@sqltrace/validator') ? undefined : { path: args.path, external: true }));
          },
        },
      ],
    });
    const text = result.outputFiles[0]!.text;
    expect(text).toContain('toMatchWorkload');
    expect(text).toMatch(/\.extend\(workloadMatchers\)/);
  });
});

describe('the Jest entry for TypeScript', () => {
  it.each([
    ['node10', 'Node10'],
    ['node16', 'Node16'],
    ['bundler', 'Bundler'],
  ] as const)('resolves its types under %s module resolution', (_name, kind) => {
    const containing = join(__dirname, '..', '..', '..', 'consumer.ts');
    const options = { moduleResolution: ts.ModuleResolutionKind[kind], module: kind === 'Node16' ? ts.ModuleKind.Node16 : ts.ModuleKind.ESNext };
    const resolved = ts.resolveModuleName('@sqltrace/validator/jest', containing, options, ts.sys).resolvedModule;
    expect(resolved?.resolvedFileName).toMatch(/validator\/dist\/jest\.d\.c?ts$/);
  });
});
