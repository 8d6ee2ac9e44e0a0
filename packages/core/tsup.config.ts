import { defineConfig } from 'tsup';

export default defineConfig({
  // ./internal: plumbing for the sibling packages, kept out of the public entry.
  entry: ['src/index.ts', 'src/internal.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
});
