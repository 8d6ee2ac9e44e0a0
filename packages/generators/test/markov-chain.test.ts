import { Prng } from '@sqltrace/core';
import { END, MarkovChain } from '../src/markov/markov-chain';

function generateSession(chain: MarkovChain, prng: Prng, max = 1000): number[] {
  const session: number[] = [];
  for (;;) {
    const next = chain.next(session, prng);
    if (next === END || session.length >= max) return session;
    session.push(next);
  }
}

describe('MarkovChain', () => {
  it('learns transitions, start states and session ends', () => {
    const chain = new MarkovChain(1, 3);
    for (let i = 0; i < 100; i++) {
      chain.addSequence([0, 1, 2]);
      chain.addSequence([0, 2]);
    }
    expect(chain.distribution([])).toEqual(new Map([[0, 1]]));
    expect(chain.distribution([0])).toEqual(
      new Map([
        [1, 0.5],
        [2, 0.5],
      ]),
    );
    expect(chain.distribution([0, 1])).toEqual(new Map([[2, 1]]));
    expect(chain.distribution([0, 1, 2])).toEqual(new Map([[END, 1]]));
  });

  it('uses two states of history at order 2, where order 1 can only guess', () => {
    const order1 = new MarkovChain(1, 3);
    const order2 = new MarkovChain(2, 3);
    for (let i = 0; i < 50; i++) {
      for (const chain of [order1, order2]) {
        chain.addSequence([0, 1, 2]); // after 0,1 comes 2
        chain.addSequence([2, 1, 0]); // after 2,1 comes 0
      }
    }
    expect(order1.distribution([0, 1])).toEqual(
      new Map([
        [0, 0.5],
        [2, 0.5],
      ]),
    );
    expect(order2.distribution([0, 1])).toEqual(new Map([[2, 1]]));
    expect(order2.distribution([2, 1])).toEqual(new Map([[0, 1]]));
  });

  it('backs off to shorter histories for a history it never saw', () => {
    const chain = new MarkovChain(2, 3);
    for (let i = 0; i < 10; i++) chain.addSequence([0, 1, 2]);
    // (2, 1) never occurred; (1) → 2 did.
    expect(chain.distribution([2, 1])).toEqual(new Map([[2, 1]]));
    // A state never seen at all falls back to the overall next-state mix (order 0).
    const overall = chain.distribution([7]);
    expect([...overall.keys()].sort()).toEqual([END, 0, 1, 2].sort());
  });

  it('generates the learned transition structure (per-state TVD < 0.05) and session lengths, reproducibly by seed', () => {
    const train = new Prng('train');
    const chain = new MarkovChain(1, 4);
    const sessions: number[][] = [];
    for (let i = 0; i < 5000; i++) {
      const s = [0];
      while (train.next() < 0.8 && s.length < 30) s.push(train.weightedIndex([1, 2, 3, 4]));
      sessions.push(s);
      chain.addSequence(s);
    }
    const generated = Array.from({ length: 5000 }, (_, i) => generateSession(chain, new Prng(`gen-${i}`)));
    const transitions = (all: number[][]) => {
      const counts = new Map<string, number>();
      for (const s of all) for (let i = 1; i < s.length; i++) counts.set(`${s[i - 1]}>${s[i]}`, (counts.get(`${s[i - 1]}>${s[i]}`) ?? 0) + 1);
      return counts;
    };
    const tvdFrom = (state: number, a: Map<string, number>, b: Map<string, number>) => {
      const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => k.startsWith(`${state}>`));
      const ta = keys.reduce((n, k) => n + (a.get(k) ?? 0), 0);
      const tb = keys.reduce((n, k) => n + (b.get(k) ?? 0), 0);
      return keys.reduce((d, k) => d + Math.abs((a.get(k) ?? 0) / ta - (b.get(k) ?? 0) / tb), 0) / 2;
    };
    const original = transitions(sessions);
    const synthetic = transitions(generated);
    for (let state = 0; state < 4; state++) expect(tvdFrom(state, original, synthetic)).toBeLessThan(0.05);
    const meanLength = (all: number[][]) => all.reduce((n, s) => n + s.length, 0) / all.length;
    expect(Math.abs(meanLength(generated) - meanLength(sessions)) / meanLength(sessions)).toBeLessThan(0.05);
    expect(generateSession(chain, new Prng('same'))).toEqual(generateSession(chain, new Prng('same')));
  });

  it('round-trips through JSON and refuses damaged rows', () => {
    const chain = new MarkovChain(2, 3);
    chain.addSequence([0, 1, 2, 1]);
    const copy = MarkovChain.fromJSON(JSON.parse(JSON.stringify(chain.toJSON())));
    expect(copy.toJSON()).toEqual(chain.toJSON());
    expect(copy.distribution([0, 1])).toEqual(chain.distribution([0, 1]));
    expect(() => MarkovChain.fromJSON({ order: 1, states: 2, transitions: { '1:0': [5, 1] } })).toThrow(/invalid entry/);
    expect(() => new MarkovChain(0, 2)).toThrow(/order must be 1…5/);
  });
});
