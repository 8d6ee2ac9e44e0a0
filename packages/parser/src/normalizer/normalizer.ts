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
  readonly #cache = new Map<string, Template>();
  readonly #cacheSize: number;
  readonly #analyze: boolean;

  constructor(options: NormalizerOptions) {
    this.dialect = options.dialect;
    this.#cacheSize = options.cacheSize ?? 50_000;
    this.#analyze = options.analyze ?? true;
  }

  normalize(sql: string, bindParams?: readonly ParamValue[]): NormalizedStatement {
    const scan = scanSql(sql, this.dialect, bindParams);
    let template = this.#cache.get(scan.templateText);
    if (template === undefined) {
      template = this.#makeTemplate(scan.templateText, scan.templateTypes, scan.firstWord);
      if (this.#cache.size >= this.#cacheSize) this.#cache.clear();
      this.#cache.set(scan.templateText, template);
    }
    return { sql: scan.sql, params: scan.params, types: scan.types, template, templateParams: scan.templateParams };
  }

  #makeTemplate(text: string, types: readonly SlotType[], firstWord: string): Template {
    const slots: TemplateSlot[] = types.map((type, k) => Object.freeze({ index: k + 1, type }));
    const id = templateId(this.dialect, text);
    if (!this.#analyze) return Object.freeze({ id, text, dialect: this.dialect, kind: kindOfFirstWord(firstWord), slots: Object.freeze(slots) });
    const analysis = analyzeStatement(text);
    return Object.freeze({
      id, text, dialect: this.dialect, kind: analysis.kind, tables: Object.freeze(analysis.tables), slots: Object.freeze(slots),
    });
  }
}
