// @sqltrace/validator/jest — `expect(synthetic).toMatchWorkload(original, thresholds?)`.
// Import it once (in a test file or in `setupFilesAfterEnv`); jest is an optional peer dependency.
import type { Thresholds } from './comparison/property';
import type { WorkloadInput } from './assert/assert-workload-similar';
import { workloadMatchers } from './assert/workload-matchers';
// (Brought into the program so that the augmentation below finds it: Jest installs it.)
import type {} from 'expect';

export { workloadMatchers, type WorkloadMatcherResult } from './assert/workload-matchers';

// The global `expect` (Jest with injected globals, @types/jest)…
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Resolves when this trace matches `original` on every workload property (await it). */
      toMatchWorkload(original: WorkloadInput, thresholds?: Thresholds): Promise<R>;
    }
  }
}

// …and `import { expect } from '@jest/globals'`, whose matchers are the `expect` package's.
declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- an augmentation repeats the declaration's type parameters, used or not
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /** Resolves when this trace matches `original` on every workload property (await it). */
    toMatchWorkload(original: WorkloadInput, thresholds?: Thresholds): Promise<R>;
  }
}

const globalExpect = (globalThis as { expect?: { extend(matchers: object): void } }).expect;
if (globalExpect !== undefined) globalExpect.extend(workloadMatchers);
