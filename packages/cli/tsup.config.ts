import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One file per command (dist/commands/<id>.js, shared code in chunks): oclif, reading the command
// list from oclif.manifest.json, imports only the command that runs — `stb --version` and `stb help`
// load no library at all.
const commands = Object.fromEntries(readdirSync('src/commands').filter((f) => f.endsWith('.ts')).map((f) => [`commands/${f.slice(0, -3)}`, `src/commands/${f}`]));

export default defineConfig({
  entry: { index: 'src/index.ts', ...commands, 'hooks/command-not-found': 'src/hooks/command-not-found.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  splitting: true,
  shims: true,
  target: 'node20',
  tsconfig: 'tsconfig.lib.json',
});
