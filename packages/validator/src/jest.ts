// @sqltrace/validator/jest — `expect(synthetic).toMatchWorkload(original, thresholds?)`.
// Import it once (in a test file or in `setupFilesAfterEnv`); jest is an optional peer dependency.
import type { Thresholds } from './comparison/property';
import { describeMismatch, toInput, type WorkloadInput } from './assert/assert-workload-similar';
import { WorkloadValidator } from './comparison/workload-validator';

export interface WorkloadMatcherResult {
  pass: boolean;
  message: () => string;
}

export const workloadMatchers = {
  async toMatchWorkload(received: WorkloadInput, original: WorkloadInput, thresholds?: Thresholds): Promise<WorkloadMatcherResult> {
    const report = await new WorkloadValidator({ thresholds }).compare(toInput(original), toInput(received));
    return {
      pass: report.passed,
      message: () =>
        report.passed
          ? `expected the synthetic trace not to match the original workload, but every property passed (score ${report.score.toFixed(3)})`
          : describeMismatch(report),
    };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Resolves when this trace matches `original` on every workload property (await it). */
      toMatchWorkload(original: WorkloadInput, thresholds?: Thresholds): Promise<R>;
    }
  }
}

const globalExpect = (globalThis as { expect?: { extend(matchers: object): void } }).expect;
if (globalExpect !== undefined) globalExpect.extend(workloadMatchers);
