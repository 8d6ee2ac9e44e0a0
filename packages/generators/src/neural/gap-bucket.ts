/** How many idle-time buckets the sequence models see (bucket 0: a session's first statement). */
export const GAP_BUCKETS = 8;

/** Upper bounds (µs) of buckets 1…6; bucket 7 is everything from 10 s up. */
const LIMITS_US = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/**
 * The idle time before a statement, bucketed on a log scale (< 100 µs, < 1 ms, … < 10 s, more),
 * as the neural models take it as an input beside the template. −1 (no previous statement) is 0.
 */
export function gapBucket(gapUs: number): number {
  if (gapUs < 0) return 0;
  for (let i = 0; i < LIMITS_US.length; i++) if (gapUs < LIMITS_US[i]!) return i + 1;
  return GAP_BUCKETS - 1;
}

/** Idle buckets at most this fine are measured by a clock of this resolution (µs): bucket 1 ends at 100 µs. */
export const FINEST_IDLE_RESOLUTION_US = 100;

/** The bucket a network without idle input is given: 0 at a session's start, 1 otherwise. */
export function startBucket(gapUs: number): number {
  return gapUs < 0 ? 0 : 1;
}
