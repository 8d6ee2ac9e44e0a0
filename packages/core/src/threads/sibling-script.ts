import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The first of `names` that exists in `directory` — how a package finds the worker-thread entry
 * its build put next to its bundle. Pass the bundle's `__dirname` (the ESM builds define one in a
 * banner, tools/build/esm-dirname-banner.ts); undefined when there is none (running from
 * TypeScript sources, or inside a user's own bundle) or no such file.
 */
export function siblingScript(directory: string | undefined, names: readonly string[]): string | undefined {
  if (directory === undefined) return undefined;
  for (const name of names) {
    const path = join(directory, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}
