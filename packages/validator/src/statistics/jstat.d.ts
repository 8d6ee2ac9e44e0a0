// The part of jstat (no published types) the validator uses.
declare module 'jstat' {
  export const jStat: {
    gammaln(x: number): number;
    chisquare: { cdf(x: number, dof: number): number };
  };
}
