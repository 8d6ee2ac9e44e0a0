import type { ParamValue, Prng } from '@sqltrace/core';
import { CategoricalDistribution, CategoricalSampler, type CategoricalDistributionJson } from '../distributions/categorical-distribution';
import { EmpiricalDistribution, type EmpiricalDistributionJson } from '../distributions/empirical-distribution';
import { formatDatetime, formatFromKey, formatKey, parseDatetime, type DatetimeFormat } from './datetime-format';
import { isSensitiveString } from './sensitive-value';
import { StringShapeBuilder, StringShapeSampler, type StringShapeJson } from './string-shape';

/** The published model of one template slot (or of the elements of one collapsed list). */
export interface SlotModelJson {
  /** Observations. */
  readonly n: number;
  readonly nulls: number;
  /** Values withheld as secrets (passwords, connection strings, file paths). */
  readonly redacted: number;
  /** Values seen at least k times, reproduced as they are; the rest is drawn from the models below. */
  readonly frequent: CategoricalDistributionJson;
  /** Non-null values by class: integer, float, datetime, string, boolean. */
  readonly classes: readonly [number, number, number, number, number];
  /** Share of numbers that were written as strings (bind parameters are text). */
  readonly numbersAsText: number;
  readonly integers?: EmpiricalDistributionJson;
  readonly floats?: EmpiricalDistributionJson;
  /** Digits after the decimal point that floats were most often written with. */
  readonly decimals?: number;
  readonly datetimes?: EmpiricalDistributionJson & { readonly format: string };
  readonly strings?: StringShapeJson;
  /** For a list-length slot: the model of the list's elements. */
  readonly elements?: SlotModelJson;
}

const C_INT = 0,
  C_FLOAT = 1,
  C_DATETIME = 2,
  C_STRING = 3,
  C_BOOL = 4;
const INTEGER_TEXT = /^-?\d{1,15}$/;
const FLOAT_TEXT = /^-?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Learns a slot's values in bounded memory. */
export class SlotModelBuilder {
  #n = 0;
  #nulls = 0;
  #redacted = 0;
  #numbersAsText = 0;
  readonly #classes = [0, 0, 0, 0, 0];
  readonly #decimals = new Array<number>(11).fill(0);
  readonly #frequent = new CategoricalDistribution({ maxDistinct: 2_000 });
  #integers: EmpiricalDistribution | undefined;
  #floats: EmpiricalDistribution | undefined;
  #datetimes: EmpiricalDistribution | undefined;
  #formats: CategoricalDistribution | undefined;
  #strings: StringShapeBuilder | undefined;
  #elements: SlotModelBuilder | undefined;
  readonly #secret: boolean;

  /** `secret`: the slot holds passwords: nothing of its values is learned. */
  constructor(secret = false) {
    this.#secret = secret;
  }

  get elements(): SlotModelBuilder {
    return (this.#elements ??= new SlotModelBuilder(this.#secret));
  }

  add(value: ParamValue): void {
    this.#n++;
    if (value === null) {
      this.#nulls++;
      return;
    }
    if (this.#secret || (typeof value === 'string' && isSensitiveString(value))) {
      this.#redacted++;
      return;
    }
    this.#frequent.add(value);
    if (typeof value === 'boolean') {
      this.#classes[C_BOOL]!++;
    } else if (typeof value === 'number') {
      this.#addNumber(value);
      if (!Number.isInteger(value)) this.#countDecimals(String(value));
    } else if (INTEGER_TEXT.test(value)) {
      this.#numbersAsText++;
      this.#addNumber(Number(value));
    } else if (FLOAT_TEXT.test(value)) {
      this.#numbersAsText++;
      this.#addNumber(Number(value), true);
      this.#countDecimals(value);
    } else {
      const datetime = value.length <= 40 ? parseDatetime(value) : undefined;
      if (datetime !== undefined) {
        this.#classes[C_DATETIME]!++;
        (this.#datetimes ??= new EmpiricalDistribution({ capacity: 2_000, seed: 'datetimes' })).add(datetime.ms);
        (this.#formats ??= new CategoricalDistribution({ maxDistinct: 64 })).add(formatKey(datetime.format));
      } else {
        this.#classes[C_STRING]!++;
        (this.#strings ??= new StringShapeBuilder()).add(value);
      }
    }
  }

  #countDecimals(text: string): void {
    const dot = text.indexOf('.');
    if (dot < 0 || /e/i.test(text)) return;
    this.#decimals[Math.min(10, text.length - dot - 1)]!++;
  }

  #addNumber(value: number, float = !Number.isInteger(value)): void {
    if (float) {
      this.#classes[C_FLOAT]!++;
      (this.#floats ??= new EmpiricalDistribution({ capacity: 2_000, seed: 'floats' })).add(value);
    } else {
      this.#classes[C_INT]!++;
      (this.#integers ??= new EmpiricalDistribution({ capacity: 2_000, seed: 'integers' })).add(value);
    }
  }

  /** The publishable model: literals only when seen at least `minCount` times. */
  toJSON(minCount: number): SlotModelJson {
    const format = this.#formats?.toJSON(1).values[0]?.[0];
    const frequent = this.#frequent.toJSON(minCount);
    // The fitted models stand for the values not published as literals: drawn from every value,
    // they would land on the frequent ones again (sysbench's hot ids: 95% of the synthetic ids
    // repeated against 88%).
    const published = new Set<number>();
    for (const [value] of frequent.values)
      if (typeof value === 'number' || (typeof value === 'string' && (INTEGER_TEXT.test(value) || FLOAT_TEXT.test(value)))) published.add(Number(value));
    const datetimes = this.#datetimes?.toPrivateJSON(minCount);
    const integers = this.#integers?.toPrivateJSON(minCount, 101, published);
    const floats = this.#floats?.toPrivateJSON(minCount, 101, published);
    const elements = this.#elements?.toJSON(minCount);
    return {
      n: this.#n,
      nulls: this.#nulls,
      redacted: this.#redacted,
      frequent,
      classes: [...this.#classes] as unknown as SlotModelJson['classes'],
      numbersAsText: this.#numbersAsText,
      ...(integers ? { integers } : {}),
      ...(floats ? { floats, decimals: this.#decimals.indexOf(Math.max(...this.#decimals)) } : {}),
      ...(datetimes && typeof format === 'string' ? { datetimes: { ...datetimes, format } } : {}),
      ...(this.#strings ? { strings: this.#strings.toJSON(minCount) } : {}),
      ...(elements ? { elements } : {}),
    };
  }
}

/** Draws values from a published slot model. */
export class SlotSampler {
  readonly #json: SlotModelJson;
  readonly #integers: EmpiricalDistribution | undefined;
  readonly #floats: EmpiricalDistribution | undefined;
  readonly #datetimes: EmpiricalDistribution | undefined;
  readonly #format: DatetimeFormat | undefined;
  readonly #strings: StringShapeSampler | undefined;
  readonly #classWeights: number[];
  readonly #classTotal: number;
  readonly #textShare: number;
  readonly #frequent: CategoricalSampler;
  readonly elements: SlotSampler | undefined;

  constructor(json: SlotModelJson) {
    this.#json = json;
    this.#frequent = new CategoricalSampler(json.frequent);
    this.#integers = json.integers ? EmpiricalDistribution.fromJSON(json.integers) : undefined;
    this.#floats = json.floats ? EmpiricalDistribution.fromJSON(json.floats) : undefined;
    this.#datetimes = json.datetimes ? EmpiricalDistribution.fromJSON(json.datetimes) : undefined;
    this.#format = json.datetimes ? formatFromKey(json.datetimes.format) : undefined;
    if (json.datetimes && this.#format === undefined) throw new RangeError(`unknown datetime format "${json.datetimes.format}"`);
    this.#strings = json.strings ? new StringShapeSampler(json.strings) : undefined;
    const numbers = json.classes[C_INT] + json.classes[C_FLOAT];
    this.#textShare = numbers > 0 ? json.numbersAsText / numbers : 0;
    // Classes that can be drawn without a literal: those with a published model.
    this.#classWeights = json.classes.map((count, c) =>
      (c === C_INT && this.#integers) ||
      (c === C_FLOAT && this.#floats) ||
      (c === C_DATETIME && this.#datetimes) ||
      (c === C_STRING && this.#strings) ||
      c === C_BOOL
        ? count
        : 0,
    );
    this.#classTotal = this.#classWeights.reduce((sum, w) => sum + w, 0);
    this.elements = json.elements ? new SlotSampler(json.elements) : undefined;
  }

  sample(prng: Prng): ParamValue {
    const json = this.#json;
    if (json.n === 0) return null;
    const u = prng.next() * json.n;
    if (u < json.nulls) return null;
    if (u < json.nulls + json.redacted) return redactedValue(prng);
    const frequent = this.#frequent.draw(prng);
    if (frequent !== undefined) return frequent;
    return this.#fallback(prng);
  }

  /** A value drawn from the fitted models (never a literal seen fewer than k times). */
  #fallback(prng: Prng): ParamValue {
    if (this.#classTotal === 0) {
      // Nothing publishable: fewer than k values of every class. Keep only the kind of value.
      const [i, f, d, s] = this.#json.classes;
      if (i + f > 0) return this.#number(prng.int(0, 999), false, prng);
      if (d > 0) return formatDatetime(Date.UTC(2020, 0, 1), { kind: 'date', separator: ' ', fraction: 0, zone: '' });
      if (s > 0) return redactedValue(prng);
      return null;
    }
    switch (prng.weightedIndex(this.#classWeights)) {
      case C_INT:
        return this.#number(Math.round(this.#integers!.sample(prng)), false, prng);
      case C_FLOAT:
        return this.#number(this.#floats!.sample(prng), true, prng);
      case C_DATETIME:
        return formatDatetime(this.#datetimes!.sample(prng), this.#format!);
      case C_STRING:
        return this.#strings!.sample(prng);
      default: {
        const [, , , , bools] = this.#json.classes;
        return bools > 0 && prng.next() < 0.5;
      }
    }
  }

  #number(value: number, float: boolean, prng: Prng): ParamValue {
    const decimals = this.#json.decimals;
    if (!float) return this.#textShare > 0 && (this.#textShare >= 1 || prng.next() < this.#textShare) ? String(value) : value;
    const text = decimals !== undefined && decimals > 0 ? value.toFixed(decimals) : String(Number(value.toPrecision(10)));
    if (this.#textShare > 0 && (this.#textShare >= 1 || prng.next() < this.#textShare)) return text;
    return Number(text);
  }
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A stand-in for a withheld value: 12 random letters and digits. */
function redactedValue(prng: Prng): string {
  let text = '';
  for (let i = 0; i < 12; i++) text += ALNUM[Math.floor(prng.next() * ALNUM.length)]!;
  return text;
}
