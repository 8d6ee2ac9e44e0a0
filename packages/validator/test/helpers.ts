import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `../shared/corpora` beside the repository (present on developer machines and in CI). */
export const CORPORA = process.env.STB_CORPORA ?? resolve(__dirname, '../../../../shared/corpora');
export const HAVE_CORPORA = existsSync(CORPORA);
if (!HAVE_CORPORA) {
  const message = `\n!!! ${CORPORA} is missing: the validator tests on real traces are SKIPPED !!!\n`;
  if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
  console.warn(message);
}
export const describeCorpora = HAVE_CORPORA ? describe : describe.skip;

export function corpus(...parts: string[]): string {
  return join(CORPORA, ...parts);
}
