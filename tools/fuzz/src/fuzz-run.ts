import { writeFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * How long each fuzz target runs and with which seed: `STB_FUZZ_SECONDS` (default 10 in the test
 * suite, 60 at most; `npm run fuzz` gives 60) and `STB_FUZZ_SEED` (default: a new one each run).
 * The seed is printed so that a failure found in CI can be replayed exactly; `STB_FUZZ_LAST=file`
 * keeps the input being run in that file, for a crash that kills the process.
 */
export function fuzzSettings(target: string): { seed: number; seconds: number } {
  const seconds = Math.min(60, Number(process.env.STB_FUZZ_SECONDS ?? 10));
  const seed = process.env.STB_FUZZ_SEED !== undefined ? Number(process.env.STB_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`fuzz ${target}: seed ${seed}, ${seconds} s (replay: STB_FUZZ_SEED=${seed} npm run -w @sqltrace/fuzz test)\n`);
  return { seed, seconds };
}

/** Runs a property for the target's time budget; a counterexample fails with the seed and path to replay it. */
export async function fuzz<T>(target: string, arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void> | void): Promise<number> {
  const { seed, seconds } = fuzzSettings(target);
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      runs++;
      // A crash that kills the process (a V8 fatal error) leaves the input that caused it here.
      if (process.env.STB_FUZZ_LAST) writeFileSync(process.env.STB_FUZZ_LAST, JSON.stringify(value));
      await property(value);
    }),
    { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false, endOnFailure: true },
  );
  process.stdout.write(`fuzz ${target}: ${runs} inputs, no failure\n`);
  return runs;
}
