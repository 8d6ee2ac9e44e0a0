import { writeFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * How a target runs. In the test suite (CI): a fixed seed per target and a fixed number of inputs
 * (`STB_FUZZ_RUNS`, default 2,000; 60 s at most), so a run is reproducible and CI does not turn
 * red on a new finding by chance. Fuzzing (`npm run fuzz`, or `STB_FUZZ_SECONDS` set): a new seed
 * each run (or `STB_FUZZ_SEED`) for that many seconds (60 at most). The seed is printed either way,
 * so any failure can be replayed exactly; `STB_FUZZ_LAST=file` keeps the input being run in that
 * file, for a crash that kills the process.
 */
export function fuzzSettings(target: string): { seed: number; seconds: number; runs: number } {
  const exploring = process.env.STB_FUZZ_SECONDS !== undefined;
  const seconds = Math.min(60, exploring ? Number(process.env.STB_FUZZ_SECONDS) : 60);
  const runs = exploring ? Number.MAX_SAFE_INTEGER : Number(process.env.STB_FUZZ_RUNS ?? 2_000);
  const seed =
    process.env.STB_FUZZ_SEED !== undefined ? Number(process.env.STB_FUZZ_SEED) : exploring ? Math.floor(Math.random() * 2 ** 31) : fixedSeed(target);
  process.stdout.write(
    `fuzz ${target}: seed ${seed}, ${exploring ? `${seconds} s` : `${runs} inputs`} (replay: STB_FUZZ_SEED=${seed}${exploring ? ` STB_FUZZ_SECONDS=${seconds}` : ''} npm run -w @sqltrace/fuzz test)\n`,
  );
  return { seed, seconds, runs };
}

function fixedSeed(target: string): number {
  let h = 2166136261;
  for (let i = 0; i < target.length; i++) h = Math.imul(h ^ target.charCodeAt(i), 16777619);
  return (h >>> 0) % 2 ** 31;
}

/** Runs a property over the target's inputs; a counterexample fails with the seed and path to replay it. */
export async function fuzz<T>(target: string, arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void> | void): Promise<number> {
  const { seed, seconds, runs: numRuns } = fuzzSettings(target);
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      runs++;
      // A crash that kills the process (a V8 fatal error) leaves the input that caused it here.
      if (process.env.STB_FUZZ_LAST) writeFileSync(process.env.STB_FUZZ_LAST, JSON.stringify(value));
      await property(value);
    }),
    { seed, numRuns, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false, endOnFailure: true },
  );
  process.stdout.write(`fuzz ${target}: ${runs} inputs, no failure\n`);
  return runs;
}
