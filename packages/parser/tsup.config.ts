import { defineConfig } from 'tsup';

export default defineConfig({
  // The normalizer worker is its own entry: NormalizePipeline starts it next to the bundle.
  entry: { index: 'src/index.ts', 'normalize-worker': 'src/parallel/normalize-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
});
