import type { Thresholds } from '../comparison/property';
import { WorkloadValidator } from '../comparison/workload-validator';
import { describeMismatch, toInput, type WorkloadInput } from './assert-workload-similar';

export interface WorkloadMatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * The workload matchers for `expect.extend` — `toMatchWorkload(original, thresholds?)` — for any
 * runner with Jest's `expect` API (Vitest: `expect.extend(workloadMatchers)`). Jest users import
 * `@sqltrace/validator/jest`, which registers them and declares their types.
 */
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
