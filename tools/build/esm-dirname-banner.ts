import type { Options } from 'tsup';

/**
 * `__dirname` for a package's ESM build, in place of tsup's `shims`: the packages find their
 * worker-thread entry next to their bundle with it. tsup's shim calls `fileURLToPath(import.meta.url)`
 * when the module loads, which throws once a user's bundler turns our ESM build into CommonJS
 * (esbuild leaves `import.meta` empty there); this one gives `undefined` instead (no worker file
 * sits beside a user's bundle anyway).
 */
export const esmDirnameBanner: NonNullable<Options['banner']> = (context) =>
  context.format === 'esm'
    ? {
        js: "import { fileURLToPath as __stbFileURLToPath } from 'node:url'; import { dirname as __stbDirname } from 'node:path'; const __dirname = (() => { try { return __stbDirname(__stbFileURLToPath(import.meta.url)); } catch { return undefined; } })();",
      }
    : {};
