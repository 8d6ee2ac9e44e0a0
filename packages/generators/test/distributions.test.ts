import { Prng } from '@sqltrace/core';
import { CategoricalDistribution, drawCategorical } from '../src/distributions/categorical-distribution';
import { EmpiricalDistribution } from '../src/distributions/empirical-distribution';
import { ks } from './fidelity';

describe('EmpiricalDistribution', () => {
  it('reproduces the shape of what it learned (two-sample KS < 0.02) within [min, max]', () => {
    const source = new Prng('source');
    const original = Array.from({ length: 20_000 }, () => source.exponential(2) + 0.001);
    const d = new EmpiricalDistribution();
    for (const v of original) d.add(v);
    const draw = new Prng('draw');
    const synthetic = Array.from({ length: 20_000 }, () => d.sample(draw));
    expect(ks(original, synthetic)).toBeLessThan(0.02);
    expect(Math.min(...synthetic)).toBeGreaterThanOrEqual(Math.min(...original));
    expect(Math.max(...synthetic)).toBeLessThanOrEqual(Math.max(...original));
    expect(d.quantile(0.5)).toBeCloseTo(Math.log(2) / 2, 1);
  });

  it('keeps bounded memory on a million samples and still knows the extremes', () => {
    const d = new EmpiricalDistribution({ capacity: 20_000 });
    for (let i = 1; i <= 1_000_000; i++) d.add(i);
    expect(d.count).toBe(1_000_000);
    expect(d.quantile(0)).toBe(1);
    expect(d.quantile(1)).toBe(1_000_000);
    // 20,000 kept samples: the median's standard error is about 0.35%.
    expect(Math.abs(d.quantile(0.5) - 500_000) / 500_000).toBeLessThan(0.02);
  });

  it('keeps a rare extreme rare: draws after a JSON round trip have the mean of the data, not of the top interval', () => {
    // Idle times of 50 µs but for a one-second pause once in 10,000 (RDS's monitoring sessions).
    const d = new EmpiricalDistribution({ capacity: 500, seed: 'tail' });
    for (let i = 1; i <= 100_000; i++) d.add(i % 10_000 === 0 ? 1_000_000 : 50);
    const copy = EmpiricalDistribution.fromJSON(JSON.parse(JSON.stringify(d.toJSON(51))));
    const draw = new Prng('draw');
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += copy.sample(draw);
    expect(sum / 200_000).toBeLessThan(500); // the data's mean is 150 µs; evenly spaced knots gave ~10,000
    expect(copy.quantile(1)).toBe(1_000_000);
    expect(copy.quantile(0.5)).toBe(50);
    expect(() => EmpiricalDistribution.fromJSON({ count: 2, min: 0, max: 1, quantiles: [0, 1], levels: [0, 0.5] })).toThrow(/levels must rise from 0 to 1/);
  });

  it('round-trips through JSON, refuses damaged quantiles and is NaN when empty', () => {
    const d = new EmpiricalDistribution();
    [5, 1, 3, 2, 4].forEach((v) => d.add(v));
    const copy = EmpiricalDistribution.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
    expect(copy.quantile(0.5)).toBe(3);
    expect(copy.toJSON()).toEqual(d.toJSON());
    expect(() => EmpiricalDistribution.fromJSON({ count: 2, min: 0, max: 1, quantiles: [1, 0] })).toThrow(/must not decrease/);
    expect(new EmpiricalDistribution().quantile(0.5)).toBeNaN();
  });
});

describe('CategoricalDistribution (privacy rule)', () => {
  it('publishes only values seen at least k times; the rest is "other", never a literal', () => {
    const c = new CategoricalDistribution();
    for (let i = 0; i < 50; i++) c.add('active');
    for (let i = 0; i < 5; i++) c.add(7);
    for (let i = 0; i < 4; i++) c.add('hunter2-secret');
    c.add(null);
    const table = c.toJSON(5);
    expect(table.values).toEqual([
      ['active', 50],
      [7, 5],
    ]);
    expect(table.other).toBe(5);
    expect(JSON.stringify(table)).not.toContain('hunter2');
    // '7' the string and 7 the number are different values.
    c.add('7');
    expect(c.toJSON(1).values).toEqual(
      expect.arrayContaining([
        [7, 5],
        ['7', 1],
      ]),
    );
  });

  it('draws listed values by frequency and signals "other" by its share', () => {
    const c = new CategoricalDistribution();
    for (let i = 0; i < 60; i++) c.add('a');
    for (let i = 0; i < 30; i++) c.add('b');
    for (let i = 0; i < 10; i++) c.add(`rare-${i}`);
    const table = c.toJSON(2);
    const prng = new Prng('draw');
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const v = drawCategorical(table, prng);
      const k = v === undefined ? 'other' : String(v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(Math.abs(counts.get('a')! / 30_000 - 0.6)).toBeLessThan(0.015);
    expect(Math.abs(counts.get('b')! / 30_000 - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(counts.get('other')! / 30_000 - 0.1)).toBeLessThan(0.01);
  });

  it('stays bounded and never overcounts: a value published as seen k times was seen k times', () => {
    const c = new CategoricalDistribution({ maxDistinct: 100 });
    for (let i = 0; i < 10_000; i++) {
      c.add(i); // 10,000 values seen once each
      if (i % 10 === 0) c.add('hot'); // and one seen 1,000 times
    }
    const table = c.toJSON(2);
    expect(table.values.map(([v]) => v)).toEqual(['hot']);
    const hot = table.values[0]![1];
    expect(hot).toBeLessThanOrEqual(1_000);
    expect(hot).toBeGreaterThan(1_000 - 11_000 / 101);
    expect(table.other + hot).toBe(11_000);
  });
});
