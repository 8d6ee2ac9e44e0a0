import { defineConfig } from 'tsup';
import { esmDirnameBanner } from '../../tools/build/esm-dirname-banner';

export default defineConfig({
  // The benchmark thread is its own entry: ThreadedBenchmarkRunner starts it next to the bundle.
  entry: { index: 'src/index.ts', 'bench-worker': 'src/threads/bench-worker.ts' },
  format: ['esm', 'cjs'],
  // p-limit (and its yocto-queue) ship ESM only: bundled, so that require('@sqltrace/bench') works
  // too — esbuild's CommonJS interop would otherwise take the module namespace for the function.
  noExternal: ['p-limit', 'yocto-queue'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  banner: esmDirnameBanner,
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
});
