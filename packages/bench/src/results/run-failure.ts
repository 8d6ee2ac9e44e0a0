import type { BenchResults } from './bench-results';

/**
 * Why a run's figures cannot stand for the load it was to put on the database, if they cannot:
 * it was interrupted or ended early, measured nothing, or every operation failed. Such a run
 * passes no gate (`stb compare --fail-on`) and `stb bench` exits non-zero for it.
 */
export function runFailure(results: BenchResults): string | undefined {
  if (results.interrupted === true) return 'the run was interrupted';
  if (results.endedEarly !== undefined) return `the run ended early: ${results.endedEarly}`;
  if (results.operations === 0) return 'the run measured no operation (an empty trace, every statement refused, or a --warmup as long as the run)';
  if (results.errors === results.operations) {
    const first = results.errorsByClass[0]?.examples[0];
    return `every operation failed${first !== undefined ? ` (e.g. ${first})` : ''}: does the target hold the schema and data the trace needs? stb bench runs the trace's statements only`;
  }
  return undefined;
}
