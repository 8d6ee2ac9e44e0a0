import { defineConfig } from 'tsup';
import { esmDirnameBanner } from '../../tools/build/esm-dirname-banner';

// (dist/ is emptied by the build script: the two configs build at once.)
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    banner: esmDirnameBanner,
    target: 'node20',
    tsconfig: 'tsconfig.lib.json',
  },
  // The program that serves a driver package as a plugin (bin/driver-plugin.js runs it).
  { entry: ['src/driver-plugin.ts'], format: ['esm'], sourcemap: true, banner: esmDirnameBanner, target: 'node20', tsconfig: 'tsconfig.lib.json' },
]);
