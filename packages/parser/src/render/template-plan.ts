import type { ParamValue, SlotType } from '@sqltrace/core';
import { isIdentPart } from '../normalizer/char-class';
import type { ScanDialect } from '../normalizer/sql-scanner';
import { sqlLiteral } from './sql-literal';

/** A piece of a template: text, a slot, a collapsed list, or the extra rows of a multi-row VALUES. */
export type PlanPart =
  | { readonly kind: 'text'; readonly text: string }
  /** A placeholder: slot numbers are 1-based; a slot may occur more than once (GROUP BY reuse). */
  | { readonly kind: 'slot'; readonly slot: number }
  /** `$k /*, ... *\/`: slot k holds the list's length; each element is a placeholder plus `suffix` (a cast). */
  | { readonly kind: 'list'; readonly slot: number; readonly suffix: string }
  /** `(row) /*, ... ($k rows) *\/`: slot k holds the row count; parts[rowStart, rowEnd) is the first row. */
  | { readonly kind: 'rows'; readonly slot: number; readonly rowStart: number; readonly rowEnd: number };

/** A template compiled for rendering: what each placeholder of the executable form stands for. */
export interface TemplatePlan {
  readonly dialect: ScanDialect;
  readonly parts: readonly PlanPart[];
  /** How many slots the template has (its highest slot number). */
  readonly slots: number;
}

/**
 * One placeholder of the executable form, in text order: which slot it draws from, in which
 * role (the slot itself, an element of the slot's list, or the slot in an extra VALUES row), and
 * for rows, which row (1 = the second row).
 */
export interface PlanValueRef {
  readonly slot: number;
  readonly role: 'slot' | 'element' | 'row';
  readonly row: number;
  /** Index of the list element (0-based) for `element`; 0 otherwise. */
  readonly element: number;
}

const LIST_MARK = ' /*, ... */';
const ROWS_OPEN = ' /*, ... (';
const ROWS_CLOSE = ' rows) */';

/**
 * Compiles a template text written by the normalizer ({@link Normalizer}) into a plan. Quoted
 * identifiers and kept comments are copied as text; `$n` (PostgreSQL) or `?` (MySQL, SQLite)
 * are slots, numbered in text order for `?`.
 */
export function compileTemplatePlan(text: string, dialect: ScanDialect): TemplatePlan {
  const pg = dialect === 'postgres';
  const parts: PlanPart[] = [];
  const opens: number[] = []; // part index of each unclosed '('
  let lastGroup: [number, number] | undefined; // the paren group closed last: [start, end) in parts
  let buffer = '';
  let slots = 0;
  const flush = () => {
    if (buffer !== '') parts.push({ kind: 'text', text: buffer });
    buffer = '';
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 || (c === 96 && !pg)) {
      // "identifier" or `identifier` (not PostgreSQL's: a backtick quotes nothing there, found by
      // fuzzing): copied whole (the normalizer leaves no string literals).
      let e = i + 1;
      while (e < n) {
        if (text.charCodeAt(e) === c) {
          if (text.charCodeAt(e + 1) === c) e += 2;
          else break;
        } else e++;
      }
      buffer += text.slice(i, e + 1);
      i = e + 1;
      continue;
    }
    if (text.startsWith(LIST_MARK, i)) {
      flush();
      // The list element is the last slot with what follows it (a cast such as `::uuid`).
      let j = parts.length - 1;
      while (j >= 0 && parts[j]!.kind === 'text') j--;
      const slotPart = parts[j];
      if (slotPart === undefined || slotPart.kind !== 'slot') throw new SyntaxError(`template list marker without a list element: ${text}`);
      const suffix = parts
        .slice(j + 1)
        .map((p) => (p as { text: string }).text)
        .join('');
      parts.length = j;
      parts.push({ kind: 'list', slot: slotPart.slot, suffix });
      i += LIST_MARK.length;
      continue;
    }
    if (text.startsWith(ROWS_OPEN, i)) {
      flush();
      const close = text.indexOf(ROWS_CLOSE, i);
      if (close === -1 || lastGroup === undefined || lastGroup[1] !== parts.length) throw new SyntaxError(`template rows marker without a row: ${text}`);
      const inner = text.slice(i + ROWS_OPEN.length, close);
      const slot = pg ? Number(inner.slice(1)) : ++slots;
      if (!(slot > 0)) throw new SyntaxError(`template rows marker without a slot: ${text}`);
      if (slot > slots) slots = slot;
      parts.push({ kind: 'rows', slot, rowStart: lastGroup[0], rowEnd: lastGroup[1] });
      i = close + ROWS_CLOSE.length;
      continue;
    }
    if (c === 40) {
      flush();
      opens.push(parts.length);
      parts.push({ kind: 'text', text: '(' });
      i++;
      continue;
    }
    if (c === 41) {
      flush();
      parts.push({ kind: 'text', text: ')' });
      const open = opens.pop();
      if (open !== undefined) lastGroup = [open, parts.length];
      i++;
      continue;
    }
    if (pg && c === 36 && isDigit(text.charCodeAt(i + 1)) && !(i > 0 && isWordChar(text.charCodeAt(i - 1)))) {
      let e = i + 1;
      while (e < n && isDigit(text.charCodeAt(e))) e++;
      flush();
      const slot = Number(text.slice(i + 1, e));
      if (slot > slots) slots = slot;
      parts.push({ kind: 'slot', slot });
      i = e;
      continue;
    }
    if (!pg && c === 63) {
      flush();
      parts.push({ kind: 'slot', slot: ++slots });
      i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      // A kept comment (optimizer hint): copied whole.
      const end = text.indexOf('*/', i + 2);
      const e = end === -1 ? n : end + 2;
      buffer += text.slice(i, e);
      i = e;
      continue;
    }
    buffer += text[i];
    i++;
  }
  flush();
  return { dialect, parts, slots };
}

/**
 * Every placeholder of the executable form the plan expands to, in text order, given the value of
 * each list-length and row-count slot (`lengthOf`). A slot repeated in the template (GROUP BY reuse)
 * is listed once per row: the executable form repeats its placeholder rather than adding one.
 */
export function expandPlan(plan: TemplatePlan, lengthOf: (slot: number) => number): PlanValueRef[] {
  const refs: PlanValueRef[] = [];
  const walk = (from: number, to: number, row: number, seen: Set<number>) => {
    for (let p = from; p < to; p++) {
      const part = plan.parts[p]!;
      if (part.kind === 'slot') {
        if (seen.has(part.slot)) continue;
        seen.add(part.slot);
        refs.push({ slot: part.slot, role: row === 0 ? 'slot' : 'row', row, element: 0 });
      } else if (part.kind === 'list') {
        const count = lengthOf(part.slot);
        for (let e = 0; e < count; e++) refs.push({ slot: part.slot, role: 'element', row, element: e });
      } else if (part.kind === 'rows') {
        const count = lengthOf(part.slot);
        for (let r = 1; r < count; r++) walk(part.rowStart, part.rowEnd, r, new Set());
      }
    }
  };
  walk(0, plan.parts.length, 0, new Set());
  return refs;
}

/** How a rendered statement carries its values. */
export type RenderStyle = 'params' | 'inline';

export interface RenderedStatement {
  readonly sql: string;
  /** Present for the `params` style: values in placeholder order. */
  readonly params?: ParamValue[];
}

/**
 * Renders a plan to an executable statement. `valueOf` gives the value of each placeholder (see
 * {@link PlanValueRef}); it is called once per placeholder, in text order. With the `params` style
 * the values are bound (`$n` or `?`), with `inline` they are written as dialect-correct literals.
 */
export function renderPlan(
  plan: TemplatePlan,
  lengthOf: (slot: number) => number,
  valueOf: (ref: PlanValueRef) => ParamValue,
  style: RenderStyle,
  typeOf?: (slot: number) => SlotType | undefined,
): RenderedStatement {
  const pg = plan.dialect === 'postgres';
  const params: ParamValue[] = [];
  let sql = '';
  const place = (ref: PlanValueRef): string => {
    const value = valueOf(ref);
    if (style === 'inline') return sqlLiteral(value, plan.dialect, ref.role === 'element' ? undefined : typeOf?.(ref.slot));
    params.push(value);
    return pg ? '$' + params.length : '?';
  };
  const walk = (from: number, to: number, row: number, placed: Map<number, string>) => {
    for (let p = from; p < to; p++) {
      const part = plan.parts[p]!;
      switch (part.kind) {
        case 'text':
          sql += part.text;
          break;
        case 'slot': {
          let text = placed.get(part.slot);
          if (text === undefined) placed.set(part.slot, (text = place({ slot: part.slot, role: row === 0 ? 'slot' : 'row', row, element: 0 })));
          sql += text;
          break;
        }
        case 'list': {
          const count = lengthOf(part.slot);
          for (let e = 0; e < count; e++) {
            if (e > 0) sql += ', ';
            sql += place({ slot: part.slot, role: 'element', row, element: e }) + part.suffix;
          }
          break;
        }
        case 'rows': {
          const count = lengthOf(part.slot);
          for (let r = 1; r < count; r++) {
            sql += ', ';
            walk(part.rowStart, part.rowEnd, r, new Map());
          }
          break;
        }
      }
    }
  };
  walk(0, plan.parts.length, 0, new Map());
  return style === 'params' ? { sql, params } : { sql };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Part of an identifier: `$n` inside one (`é$1t`, `a$1`) is no placeholder (non-ASCII letters and `$` included: found by fuzzing). */
function isWordChar(c: number): boolean {
  return isIdentPart(c) || c === 36;
}
