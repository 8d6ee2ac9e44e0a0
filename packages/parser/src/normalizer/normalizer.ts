import { kindOfFirstWord, type ParamValue, type SlotType, type Template, type TemplateSlot } from '@sqltrace/core';
import { analyzeStatement } from '../analysis/statement-analyzer';
import { scanSql, type ScanDialect } from './sql-scanner';
import { templateId } from './template-id';

/** A statement after normalization. */
export interface NormalizedStatement {
  /** Executable text with placeholders (`$n` for PostgreSQL, `?` for MySQL). */
  readonly sql: string;
  /** Values for `sql`'s placeholders: every literal and bind parameter, in text order. */
  readonly params: ParamValue[];
  readonly types: SlotType[];
  readonly template: Template;
  /** Values per template slot: like `params`, with each collapsed list replaced by its length. */
  readonly templateParams: ParamValue[];
}

export interface NormalizerOptions {
  readonly dialect: ScanDialect;
  /** Distinct template texts remembered (the cache is cleared when it fills). */
  readonly cacheSize?: number;
  /**
   * Run the grammar-based analysis (kind, tables read/written) once per new template (default
   * true). Without it the kind comes from the first keyword and `tables` is absent.
   */
  readonly analyze?: boolean;
}

/**
 * Turns statements into templates. The scan is one pass per statement; everything computed per
 * template (id hash, kind) is cached by template text, so the hot path is scan + one map lookup.
 */
export class Normalizer {
  readonly dialect: ScanDialect;
  /**
   * Templates by a cheap key (the text's length and a few of its characters), each bucket checked
   * with `===`: cheaper than a Map keyed by the text, which would hash every new template text in
   * full on every statement.
   */
  readonly #cache = new Map<number, Template[]>();
  #cached = 0;
  readonly #cacheSize: number;
  readonly #analyze: boolean;

  constructor(options: NormalizerOptions) {
    this.dialect = options.dialect;
    this.#cacheSize = options.cacheSize ?? 50_000;
    this.#analyze = options.analyze ?? true;
  }

  normalize(sql: string, bindParams?: readonly ParamValue[]): NormalizedStatement {
    const scan = scanSql(sql, this.dialect, bindParams);
    const text = scan.templateText;
    const key = cacheKey(text);
    let bucket = this.#cache.get(key);
    let template: Template | undefined;
    if (bucket !== undefined) {
      for (let k = 0; k < bucket.length; k++) {
        if (bucket[k]!.text === text) {
          template = bucket[k];
          break;
        }
      }
    }
    if (template === undefined) {
      template = this.#makeTemplate(text, scan.templateTypes, scan.firstWord);
      if (this.#cached >= this.#cacheSize) {
        this.#cache.clear();
        this.#cached = 0;
        bucket = undefined;
      }
      if (bucket === undefined) this.#cache.set(key, [template]);
      else bucket.push(template);
      this.#cached++;
    }
    return { sql: scan.sql, params: scan.params, types: scan.types, template, templateParams: scan.templateParams };
  }

  #makeTemplate(text: string, types: readonly SlotType[], firstWord: string): Template {
    const slots: TemplateSlot[] = types.map((type, k) => Object.freeze({ index: k + 1, type }));
    const id = templateId(this.dialect, text);
    if (!this.#analyze) return Object.freeze({ id, text, dialect: this.dialect, kind: kindOfFirstWord(firstWord), slots: Object.freeze(slots) });
    const analysis = analyzeStatement(text);
    return Object.freeze({
      id,
      text,
      dialect: this.dialect,
      kind: analysis.kind,
      tables: Object.freeze(analysis.tables),
      slots: Object.freeze(slots),
    });
  }
}

/**
 * A number from a template text's length and five of its characters (a cache bucket, not an
 * identity), kept a small integer so the Map never boxes it.
 */
function cacheKey(text: string): number {
  const n = text.length;
  let h = n;
  h = (Math.imul(h, 31) + (text.charCodeAt(7) | 0)) | 0;
  h = (Math.imul(h, 31) + (text.charCodeAt(n >> 2) | 0)) | 0;
  h = (Math.imul(h, 31) + (text.charCodeAt(n >> 1) | 0)) | 0;
  h = (Math.imul(h, 31) + (text.charCodeAt((3 * n) >> 2) | 0)) | 0;
  h = (Math.imul(h, 31) + (text.charCodeAt(n - 1) | 0)) | 0;
  return h & 0x3fffffff;
}
