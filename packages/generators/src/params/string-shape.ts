import type { ParamValue, Prng } from '@sqltrace/core';
import { CategoricalDistribution, CategoricalSampler, type CategoricalDistributionJson } from '../distributions/categorical-distribution';
import { EmpiricalDistribution, type EmpiricalDistributionJson } from '../distributions/empirical-distribution';

/**
 * What strings of a slot look like, never what they say: lengths, the mix of character classes,
 * shapes (runs of classes, e.g. `user_1234` → lower×4 `_` digit×4) and prefixes — the last two
 * published only when at least k values share them.
 */
export interface StringShapeJson {
  readonly lengths: EmpiricalDistributionJson;
  /** Share of lower, upper, digit, space and other characters. */
  readonly classes: readonly [number, number, number, number, number];
  /** Punctuation characters seen at least k times, with counts. */
  readonly punctuation: CategoricalDistributionJson;
  /** Shapes (JSON [class, run] pairs) seen at least k times. */
  readonly shapes: CategoricalDistributionJson;
  /** Prefixes seen at least k times. */
  readonly prefixes: CategoricalDistributionJson;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGIT = '0123456789';
/** Shapes with more runs than this are not worth publishing: nearly every one is unique. */
const MAX_RUNS = 12;

export class StringShapeBuilder {
  readonly #lengths = new EmpiricalDistribution({ capacity: 2_000, seed: 'string-lengths' });
  readonly #classes = [0, 0, 0, 0, 0];
  readonly #punctuation = new CategoricalDistribution({ maxDistinct: 256 });
  readonly #shapes = new CategoricalDistribution({ maxDistinct: 2_000 });
  readonly #prefixes = new CategoricalDistribution({ maxDistinct: 2_000 });

  get count(): number {
    return this.#lengths.count;
  }

  add(value: string): void {
    this.#lengths.add(value.length);
    let shape = '';
    let runs = 0;
    let runClass = '';
    let runLength = 0;
    const limit = Math.min(value.length, 256);
    for (let i = 0; i < limit; i++) {
      const ch = value[i]!;
      const cls = classOf(ch);
      this.#classes[cls]!++;
      const symbol = cls === 0 ? 'a' : cls === 1 ? 'A' : cls === 2 ? '9' : cls === 3 ? ' ' : ch;
      if (cls === 4) this.#punctuation.add(ch);
      if (symbol === runClass) {
        runLength++;
      } else {
        if (runLength > 0) shape += (runs++ === 0 ? '' : ',') + JSON.stringify([runClass, runLength]);
        runClass = symbol;
        runLength = 1;
      }
    }
    if (runLength > 0) shape += (runs++ === 0 ? '' : ',') + JSON.stringify([runClass, runLength]);
    if (runs <= MAX_RUNS && value.length <= 256) this.#shapes.add('[' + shape + ']');
    // A prefix is never a whole value, so publishing it cannot reproduce a rare short string.
    const prefix = prefixOf(value);
    if (prefix.length < value.length) this.#prefixes.add(prefix);
  }

  toJSON(minCount: number): StringShapeJson {
    const total = this.#classes.reduce((a, b) => a + b, 0) || 1;
    return {
      lengths: this.#lengths.toJSON(101),
      classes: this.#classes.map((c) => c / total) as unknown as StringShapeJson['classes'],
      punctuation: this.#punctuation.toJSON(minCount),
      shapes: this.#shapes.toJSON(minCount),
      prefixes: this.#prefixes.toJSON(minCount),
    };
  }
}

/** Draws strings from a published shape model. */
export class StringShapeSampler {
  readonly #json: StringShapeJson;
  readonly #lengths: EmpiricalDistribution;
  readonly #shapeRuns = new Map<ParamValue, (readonly [string, number])[]>();
  readonly #shapes: CategoricalSampler;
  readonly #prefixes: CategoricalSampler;
  readonly #punctuation: CategoricalSampler;

  constructor(json: StringShapeJson) {
    this.#json = json;
    this.#lengths = EmpiricalDistribution.fromJSON(json.lengths);
    for (const [shape] of json.shapes.values) this.#shapeRuns.set(shape, JSON.parse(String(shape)) as [string, number][]);
    this.#shapes = new CategoricalSampler(json.shapes);
    this.#prefixes = new CategoricalSampler(json.prefixes);
    this.#punctuation = new CategoricalSampler(json.punctuation);
  }

  sample(prng: Prng): string {
    let text: string;
    const shape = this.#shapes.draw(prng);
    if (shape !== undefined) {
      const runs = this.#shapeRuns.get(shape)!;
      text = '';
      for (const [symbol, run] of runs) for (let i = 0; i < run; i++) text += this.#char(symbol, prng);
    } else {
      const length = Math.max(0, Math.round(this.#lengths.sample(prng)));
      text = '';
      for (let i = 0; i < length; i++) text += this.#char(undefined, prng);
    }
    const prefix = this.#prefixes.draw(prng);
    if (typeof prefix === 'string' && prefix.length > 0) text = prefix + text.slice(prefix.length);
    return text;
  }

  #char(symbol: string | undefined, prng: Prng): string {
    let cls: number;
    if (symbol === undefined) cls = prng.weightedIndex(this.#json.classes);
    else if (symbol === 'a') cls = 0;
    else if (symbol === 'A') cls = 1;
    else if (symbol === '9') cls = 2;
    else if (symbol === ' ') cls = 3;
    else return symbol;
    if (cls === 0) return LOWER[Math.floor(prng.next() * 26)]!;
    if (cls === 1) return UPPER[Math.floor(prng.next() * 26)]!;
    if (cls === 2) return DIGIT[Math.floor(prng.next() * 10)]!;
    if (cls === 3) return ' ';
    const punctuation = this.#punctuation.draw(prng);
    return typeof punctuation === 'string' ? punctuation : '-';
  }
}

function classOf(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 97 && c <= 122) return 0;
  if (c >= 65 && c <= 90) return 1;
  if (c >= 48 && c <= 57) return 2;
  if (c === 32) return 3;
  return 4;
}

/** Up to and including the first separator within 10 characters (`ORD-`, `user_`), else the first 3. */
function prefixOf(value: string): string {
  for (let i = 1; i < Math.min(value.length, 10); i++) {
    const cls = classOf(value[i]!);
    if (cls >= 3) return value.slice(0, i + 1);
  }
  return value.slice(0, 3);
}
