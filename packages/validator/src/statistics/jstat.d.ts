// The part of jstat (CommonJS, no published types) the validator uses.
declare module 'jstat' {
  const jstat: {
    jStat: {
      gammaln(x: number): number;
    };
  };
  export default jstat;
}
