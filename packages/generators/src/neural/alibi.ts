/**
 * ALiBi's penalty per position back for each of `heads` attention heads: 2^(−8(h+1)/heads), from
 * sharply local to nearly flat. A causal transformer given distances instead of positions keeps a
 * statement's keys and values valid for as long as they are kept.
 */
export function alibiSlopes(heads: number): Float64Array {
  return Float64Array.from({ length: heads }, (_, h) => 2 ** ((-8 * (h + 1)) / heads));
}
