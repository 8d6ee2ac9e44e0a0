import { Prng } from '@sqltrace/core';

describe('Prng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Prng('seed-1');
    const b = new Prng('seed-1');
    const c = new Prng('seed-2');
    const seqA = Array.from({ length: 50 }, () => a.nextUint32());
    const seqB = Array.from({ length: 50 }, () => b.nextUint32());
    const seqC = Array.from({ length: 50 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    expect(new Prng(42).next()).toBe(new Prng('42').next());
  });

  it('draws integers in range with roughly uniform frequencies', () => {
    const p = new Prng('uniform');
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[p.int(0, 9)]++;
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const chi2 = counts.reduce((s, n) => s + (n - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(27.9);
    expect(() => p.int(5, 1)).toThrow(RangeError);
  });

  it('produces floats in [0, 1), normals with the right moments and exponentials with the right mean', () => {
    const p = new Prng('moments');
    let min = 1,
      max = 0,
      sum = 0,
      sumSq = 0,
      expSum = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = p.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = p.normal();
      sum += z;
      sumSq += z * z;
      expSum += p.exponential(4);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.03);
    expect(Math.abs(expSum / n - 0.25)).toBeLessThan(0.01);
  });

  it('picks by weight and shuffles into a permutation', () => {
    const p = new Prng('weights');
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[p.weightedIndex([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = p.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
  });
});
