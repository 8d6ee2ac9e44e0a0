import { defineConfig } from 'tsup';
import { esmDirnameBanner } from '../../tools/build/esm-dirname-banner';

export default defineConfig({
  // The normalizer worker is its own entry: NormalizePipeline starts it next to the bundle.
  entry: { index: 'src/index.ts', 'normalize-worker': 'src/parallel/normalize-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  banner: esmDirnameBanner,
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
});
