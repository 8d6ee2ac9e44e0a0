import type { ParamValue, SlotType } from '@sqltrace/core';
import { isDigit, isIdentPart, isIdentStart, isSpace } from './char-class';
import { AsciiCase, Ch } from './char-codes';
import { UNARY_CONTEXT_WORDS } from './statement-kind';

export type ScanDialect = 'postgres' | 'mysql' | 'sqlite';

/** One pass over a statement: literals and placeholders become slots; lists become spans. */
export interface ScanResult {
  /** Executable text: comments dropped, whitespace collapsed, each literal a placeholder (`$n` or `?`). */
  readonly sql: string;
  /** Values for `sql`'s placeholders, in text order. */
  readonly params: ParamValue[];
  readonly types: SlotType[];
  /** Template text: like `sql`, with IN-lists, ARRAY[…] and multi-row VALUES collapsed. */
  readonly templateText: string;
  /** Values per template slot; a collapsed list contributes its length. */
  readonly templateParams: ParamValue[];
  readonly templateTypes: SlotType[];
  /** The first keyword, as written (empty when there is none). */
  readonly firstWord: string;
}

/** Token categories, for spacing and for telling unary minus from subtraction. */
const enum Token {
  Start,
  Op,
  Open,
  Comma,
  Word,
  Value,
  Close,
}

/** What a parenthesis (or bracket) holds, decided when it opens. */
const enum ParenRole {
  Other,
  /** `IN (…)`: a list of values collapses to one. */
  InList,
  /** `VALUES (…), (…)`: uniform rows collapse to the first. */
  ValuesRow,
  /** `ARRAY[…]`: a list of values collapses to one. */
  ArrayList,
  /** `varchar(50)`: its numbers are syntax, not values. */
  TypeModifier,
}

/** Where a VALUES group is between its rows. */
const enum ValuesState {
  /** Just closed a row: a comma may follow. */
  AfterRow,
  /** Saw the comma after a row: another row must open. */
  AfterComma,
  /** Inside a row. */
  InRow,
}

/** The codes that stand for a placeholder in the scanner's state (an enum, so that the build inlines them). */
const enum Placeholder {
  /** `lastChar` after a placeholder (`?`, or PostgreSQL's `$n`: either must be kept apart from what follows). */
  LastChar = Ch.Question,
  /** The code `sep` is given before a placeholder: NUL, which no input reaches it with (control characters are white space). */
  Next = 0,
  /** MARK's code. */
  Mark = 1,
}

// PostgreSQL placeholders are numbered as they are emitted (`$n`). Two marks stand in for them
// where numbering must wait: in captured list text (rows compare equal whatever their numbers) and
// in a collapsed list's length slot, until the template is renumbered.
const MARK = '\u0001';

interface Span {
  /** Offsets in the unnumbered text that the replacement covers. */
  readonly start: number;
  readonly end: number;
  /** Slot indexes the replacement covers. */
  readonly pStart: number;
  readonly pEnd: number;
  readonly replacement: string;
  readonly count: number;
}

interface Paren {
  readonly textStart: number;
  readonly pStart: number;
  /** The text emitted inside a list paren (InList, ValuesRow, ArrayList), for the list and row checks. */
  capture: string;
  readonly role: ParenRole;
}

interface ValuesGroup {
  firstRowEnd: number;
  firstRowPEnd: number;
  firstRowText: string;
  lastRowEnd: number;
  lastRowPEnd: number;
  rows: number;
  uniform: boolean;
  state: ValuesState;
}

/**
 * Scans one statement. Dialect rules: PostgreSQL has `E''`, dollar quotes, `"ident"`, nested
 * block comments and `?` as an operator; MySQL has backslash escapes, `"strings"`, backticks,
 * `#` comments and `?` placeholders.
 */
export function scanSql(input: string, dialect: ScanDialect, bindParams?: readonly ParamValue[]): ScanResult {
  const pg = dialect !== 'mysql';
  const mysql = dialect === 'mysql';
  const n = input.length;
  // Output is appended to one string (a rope: O(1) appends, flattened once at the end). It is
  // never sliced while growing — that would flatten it each time, quadratic on a 100k-row INSERT —
  // so the text inside list parentheses is captured separately as it is emitted.
  let out = '';
  // Most of a statement comes out as it went in (words, punctuation, single spaces): such a stretch
  // is kept as a range of the input, `runFrom`–`runTo` (−1: none), logically after `out`, and
  // copied in one slice when something else must be written. Fewer, larger pieces make the output
  // cheaper to build and to flatten (the template cache hashes it). Not used inside captures.
  let runFrom = -1;
  let runTo = -1;
  const flush = () => {
    if (runTo > runFrom) out += input.slice(runFrom, runTo);
    runFrom = runTo = -1;
  };
  /** The output's length, the pending run included. */
  const outLength = () => out.length + (runTo - runFrom);
  const captures: Paren[] = [];
  /** Appends to the output and to every open capture (`captured` when the two differ). */
  const append = (text: string, captured = text) => {
    if (runTo >= 0) flush();
    out += text;
    for (let k = 0; k < captures.length; k++) captures[k]!.capture += captured;
  };
  /** Takes back the keyword of a typed literal (`DATE '…'`) just emitted, with the space before it. */
  const dropLastWord = (word: string) => {
    flush();
    const cut = (t: string) => {
      const u = t.endsWith(word) ? t.slice(0, t.length - word.length) : t;
      return u.endsWith(' ') ? u.slice(0, -1) : u;
    };
    out = cut(out);
    for (const c of captures) c.capture = cut(c.capture);
    pendingSpace = out.length > 0;
    lastChar = out.charCodeAt(out.length - 1);
    prev = Token.Op;
  };
  const params: ParamValue[] = [];
  const types: SlotType[] = [];
  // A Token, typed `number`: TypeScript narrows an enum-typed variable at each assignment and does
  // not see that the closures (emitInput, emitSlot…) assign it too.
  let prev: number = Token.Start;
  let pendingSpace = false;
  let lastChar = 0; // last char emitted
  let wordStart = -1; // last word's bounds in `input`
  let wordEnd = -1;
  let beforeWord: number = Token.Start; // token category before the last word: tells `VALUES (` rows from `= VALUES(col)`
  let firstWord = '';
  let qIndex = 0; // next `?` bind parameter
  let keepsNumbers = false; // FETCH/MOVE counts are syntax
  let ordinalDepth = -1; // paren depth of the current GROUP BY / ORDER BY list, or -1
  let literals: Map<string, number> | undefined; // literal text → first slot, for GROUP BY reuse
  // Remembering literals costs an allocation each: only statements with a GROUP BY need it.
  const tracksLiterals = pg && hasGroupBy(input);

  /** An integer right after `BY` or a comma of a BY-list, and followed by `,` `)` or a word. */
  const isOrdinal = (start: number, end: number): boolean => {
    if (ordinalDepth < 0 || parens.length !== ordinalDepth) return false;
    if (!(prev === Token.Comma || lastWordIs('by'))) return false;
    for (let k = start; k < end; k++) if (!isDigit(input.charCodeAt(k))) return false;
    const len = input.length;
    let k = end;
    while (k < len && isSpace(input.charCodeAt(k))) k++;
    const d = input.charCodeAt(k);
    return k >= len || d === Ch.Comma || d === Ch.CloseParen || d === Ch.Semicolon || isIdentStart(d);
  };
  let spans: Span[] | undefined;
  const parens: Paren[] = [];
  let values: ValuesGroup | undefined;
  let i = 0;

  const lastWordIs = (lower: string): boolean => {
    if (prev !== Token.Word || wordEnd - wordStart !== lower.length) return false;
    for (let k = 0; k < lower.length; k++) {
      if ((input.charCodeAt(wordStart + k) | AsciiCase.Lower) !== lower.charCodeAt(k)) return false;
    }
    return true;
  };

  /**
   * Canonical spacing: none after `(`/`[`, none before `,`/`)`/`]`, one after `,`, else as written
   * — but for one space always between a placeholder and a word or value beside it: written
   * together (`'abc'17`, `'x'AS a`) they would read as another token (`$1$2` opens a PostgreSQL
   * dollar quote, `?a` is no placeholder to a renderer). Found by fuzzing the round trip.
   */
  const spaceBefore = (code: number): boolean => {
    if (outLength() === 0) return false;
    if (code === Ch.Comma || code === Ch.CloseParen || code === Ch.CloseBracket) return false;
    if (lastChar === Ch.OpenParen || lastChar === Ch.OpenBracket) return false;
    if (
      prev === Token.Value &&
      lastChar === Placeholder.LastChar &&
      (code === Placeholder.Next ||
        code === Ch.Dollar ||
        code === Ch.Question ||
        code === Ch.Quote ||
        code === Ch.DoubleQuote ||
        code === Ch.Backtick ||
        isDigit(code) ||
        isIdentStart(code))
    )
      return true;
    // (and a word right before a placeholder: `days$3` is one PostgreSQL identifier)
    if (code === Placeholder.Next && prev === Token.Word && isIdentPart(lastChar)) return true;
    // (and a lone `$` right before one: `$$2` opens a dollar quote)
    if (code === Placeholder.Next && lastChar === Ch.Dollar) return true;
    return lastChar === Ch.Comma || pendingSpace;
  };
  const sep = (code: number) => {
    if (spaceBefore(code)) append(' ');
  };

  const endValues = () => {
    const g = values!;
    values = undefined;
    // One row or many, uniform VALUES share a template: the row count becomes a slot.
    if (g.rows >= 1 && g.uniform) {
      (spans ??= []).push({
        start: g.firstRowEnd,
        end: g.lastRowEnd,
        pStart: g.firstRowPEnd,
        pEnd: g.lastRowPEnd,
        replacement: ` /*, ... (${pg ? MARK : '?'} rows) */`,
        count: g.rows,
      });
    }
  };

  const emitSlot = (value: ParamValue, type: SlotType, from = -1, to = -1) => {
    if (from >= 0 && tracksLiterals) {
      // In a GROUP BY list a literal repeated from the select list must stay the same parameter,
      // or PostgreSQL no longer sees the two expressions as equal.
      const literal = input.slice(from, to);
      if (ordinalDepth >= 0 && parens.length >= ordinalDepth) {
        const earlier = literals?.get(literal);
        if (earlier !== undefined) {
          sep(Placeholder.Next);
          append('$' + (earlier + 1), MARK);
          lastChar = Placeholder.LastChar;
          prev = Token.Value;
          pendingSpace = false;
          return;
        }
      } else {
        (literals ??= new Map()).set(literal, params.length);
      }
    }
    sep(Placeholder.Next);
    if (pg) append('$' + (params.length + 1), MARK);
    else append('?');
    lastChar = Placeholder.LastChar;
    params.push(value);
    types.push(type);
    prev = Token.Value;
    pendingSpace = false;
  };

  /** Emits `input[start, end)` as written (a word, a quoted identifier, punctuation). */
  const emitInput = (start: number, end: number, category: Token) => {
    // The pending run goes on when the input between it and this token is exactly the separator
    // `sep` would write: nothing (right after the run, unless after a comma), or one space
    // (unless after `(`/`[` or before `,` `)` `]`).
    let extend = false;
    if (captures.length === 0 && runTo >= 0) {
      if (start === runTo) extend = lastChar !== Ch.Comma;
      else if (start === runTo + 1 && input.charCodeAt(runTo) === Ch.Space) {
        const code = input.charCodeAt(start);
        extend = code !== Ch.Comma && code !== Ch.CloseParen && code !== Ch.CloseBracket && lastChar !== Ch.OpenParen && lastChar !== Ch.OpenBracket;
      }
    }
    if (extend) {
      runTo = end;
    } else {
      if (spaceBefore(input.charCodeAt(start))) append(' ');
      if (captures.length === 0) {
        flush();
        runFrom = start;
        runTo = end;
      } else {
        append(input.slice(start, end));
      }
    }
    lastChar = input.charCodeAt(end - 1);
    prev = category;
    pendingSpace = false;
  };

  while (i < n) {
    const c = input.charCodeAt(i);

    if (isSpace(c)) {
      pendingSpace = true;
      i++;
      continue;
    }

    // Comments.
    // MySQL needs a space after `--`, but log tools (and people) treat `--x` as a comment too;
    // only `5--3` (a double minus before a digit) stays arithmetic.
    if (c === Ch.Minus && input.charCodeAt(i + 1) === Ch.Minus && (!mysql || !isDigit(input.charCodeAt(i + 2)))) {
      const eol = input.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      pendingSpace = true;
      continue;
    }
    if (c === Ch.Hash && mysql) {
      const eol = input.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      pendingSpace = true;
      continue;
    }
    if (c === Ch.Slash && input.charCodeAt(i + 1) === Ch.Star) {
      const end = skipBlockComment(input, i, pg);
      const marker = input.charCodeAt(i + 2);
      if (marker === Ch.Plus || (mysql && marker === Ch.Bang)) {
        // Optimizer hints (`/*+ … */`) and MySQL executable comments (`/*! … */`) change the plan: keep them.
        emitInput(i, end, Token.Op);
        pendingSpace = true;
      } else {
        pendingSpace = true;
      }
      i = end;
      continue;
    }

    // A VALUES group ends at the first token that is not `, (` after a row.
    if (values !== undefined) {
      if (values.state === ValuesState.AfterRow) {
        if (c === Ch.Comma) values.state = ValuesState.AfterComma;
        else endValues();
      } else if (values.state === ValuesState.AfterComma && c !== Ch.OpenParen) {
        endValues();
      }
    }

    // Strings.
    if (c === Ch.Quote || (c === Ch.DoubleQuote && mysql)) {
      const end = findStringEnd(input, i, c, mysql);
      const type = stringType(input, end, prev === Token.Word ? wordStart : -1, wordEnd);
      const value = decodeString(input, i + 1, end - 1, c, mysql);
      // A typed literal (`DATE '2024-01-01'`) takes no placeholder: PostgreSQL gets `$1::DATE`,
      // MySQL `CAST(? AS DATE)`.
      const typed =
        prev === Token.Word &&
        (type === 'datetime' || (pg && type === 'interval')) &&
        !isCastNext(input, end) &&
        (flush(), out.endsWith(input.slice(wordStart, wordEnd)));
      if (typed && pg) {
        const word = input.slice(wordStart, wordEnd);
        dropLastWord(word);
        emitSlot(value, type, wordStart, end);
        append('::' + word);
        lastChar = word.charCodeAt(word.length - 1);
        i = end;
        continue;
      }
      if (typed) {
        const word = input.slice(wordStart, wordEnd);
        dropLastWord(word);
        sep(Ch.UpperC);
        append('CAST(');
        lastChar = Ch.OpenParen;
        emitSlot(value, type, wordStart, end);
        append(` AS ${word})`);
        lastChar = Ch.CloseParen;
        prev = Token.Close;
        i = end;
        continue;
      }
      emitSlot(value, type, i, end);
      i = end;
      continue;
    }

    // Quoted identifiers.
    if ((c === Ch.DoubleQuote && pg) || (c === Ch.Backtick && mysql)) {
      const end = findStringEnd(input, i, c, false);
      emitInput(i, end, Token.Value);
      i = end;
      continue;
    }

    // Numbers, including a unary minus.
    if (isDigit(c) || (c === Ch.Dot && isDigit(input.charCodeAt(i + 1)) && prev !== Token.Word && prev !== Token.Value)) {
      const end = scanNumberEnd(input, i);
      if (end < n && isIdentPart(input.charCodeAt(end)) && !(pg && input.charCodeAt(end) === Ch.Dollar)) {
        // `1abc`, `123db`: MySQL identifiers may start with digits.
        let e = end;
        while (e < n && isIdentPart(input.charCodeAt(e))) e++;
        wordStart = i;
        wordEnd = e;
        emitInput(i, e, Token.Word);
        i = e;
        continue;
      }
      if (keepsNumbers || (parens.length > 0 && parens[parens.length - 1]!.role === ParenRole.TypeModifier) || isOrdinal(i, end)) {
        // Type modifiers (varchar(50)), GROUP/ORDER BY ordinals and FETCH counts are syntax, not values.
        emitInput(i, end, Token.Value);
        i = end;
        continue;
      }
      const [value, type] = numberValue(input.slice(i, end), pg);
      emitSlot(value, type, i, end);
      i = end;
      continue;
    }
    if (c === Ch.Minus && (isDigit(input.charCodeAt(i + 1)) || (input.charCodeAt(i + 1) === Ch.Dot && isDigit(input.charCodeAt(i + 2))))) {
      const unary =
        prev === Token.Start ||
        prev === Token.Op ||
        prev === Token.Open ||
        prev === Token.Comma ||
        (prev === Token.Word && UNARY_CONTEXT_WORDS.has(input.slice(wordStart, wordEnd).toLowerCase()));
      if (unary) {
        const end = scanNumberEnd(input, i + 1);
        if (!(end < n && isIdentPart(input.charCodeAt(end)))) {
          const [value, type] = numberValue(input.slice(i, end), pg);
          emitSlot(value, type, i, end);
          i = end;
          continue;
        }
      }
    }

    // Words (keywords, identifiers) and prefixed strings: E'…', B'…', X'…', N'…', U&'…', _utf8'…'.
    if (isIdentStart(c)) {
      let e = i + 1;
      while (e < n) {
        const d = input.charCodeAt(e);
        if (isIdentPart(d) || (pg && d === Ch.Dollar)) e++;
        else break;
      }
      const next = input.charCodeAt(e);
      if (next === Ch.Quote || (next === Ch.Ampersand && input.charCodeAt(e + 1) === Ch.Quote && e - i === 1 && (c | AsciiCase.Lower) === Ch.LowerU)) {
        const len = e - i;
        const p = c | AsciiCase.Lower;
        if ((len === 1 && (p === Ch.LowerE || p === Ch.LowerX || p === Ch.LowerB || p === Ch.LowerN || p === Ch.LowerU)) || (mysql && c === Ch.Underscore)) {
          const q = next === Ch.Ampersand ? e + 1 : e;
          const escapes = p === Ch.LowerE || mysql;
          const end = findStringEnd(input, q, 39, escapes);
          const body = decodeString(input, q + 1, end - 1, 39, escapes);
          emitSlot(body, len === 1 && (p === Ch.LowerX || p === Ch.LowerB) ? 'bytes' : 'string');
          i = end;
          continue;
        }
      }
      if (firstWord === '') {
        firstWord = input.slice(i, e);
        const fw = firstWord.toLowerCase();
        keepsNumbers = fw === 'fetch' || fw === 'move';
      }
      if (
        e - i === 2 &&
        (input.charCodeAt(i) | AsciiCase.Lower) === Ch.LowerB &&
        (input.charCodeAt(i + 1) | AsciiCase.Lower) === Ch.LowerY &&
        prev === Token.Word
      ) {
        // `GROUP BY` / `ORDER BY`: integers in the list that follows are column ordinals.
        const w = input.slice(wordStart, wordEnd).toLowerCase();
        if (w === 'group' || w === 'order') ordinalDepth = parens.length;
      } else if (ordinalDepth >= 0 && parens.length === ordinalDepth && ORDINAL_LIST_END.has(input.slice(i, e).toLowerCase())) {
        ordinalDepth = -1;
      }
      beforeWord = prev;
      wordStart = i;
      wordEnd = e;
      emitInput(i, e, Token.Word);
      i = e;
      continue;
    }

    // Placeholders and dollar quotes.
    if (c === Ch.Dollar && pg) {
      if (isDigit(input.charCodeAt(i + 1))) {
        let e = i + 1;
        while (e < n && isDigit(input.charCodeAt(e))) e++;
        const k = Number(input.slice(i + 1, e));
        const value = bindParams?.[k - 1];
        emitSlot(value === undefined ? null : value, value === undefined ? 'param' : paramType(value));
        i = e;
        continue;
      }
      const close = dollarQuoteEnd(input, i);
      if (close > 0) {
        const tagEnd = input.indexOf('$', i + 1) + 1;
        const tagLen = tagEnd - i;
        emitSlot(input.slice(tagEnd, close - tagLen), 'string');
        i = close;
        continue;
      }
    }
    if (c === Ch.Question && mysql) {
      const value = bindParams?.[qIndex++];
      emitSlot(value === undefined ? null : value, value === undefined ? 'param' : paramType(value));
      i++;
      continue;
    }

    // Punctuation.
    if (c === Ch.OpenParen || c === Ch.OpenBracket) {
      let role: ParenRole = ParenRole.Other;
      if (c === Ch.OpenParen) {
        if (prev === Token.Word && isTypeModifierWord(input, wordStart, wordEnd)) role = ParenRole.TypeModifier;
        else if (lastWordIs('in')) role = ParenRole.InList;
        else if (lastWordIs('values') && beforeWord !== Token.Op && beforeWord !== Token.Comma && beforeWord !== Token.Open) role = ParenRole.ValuesRow;
        else if (values !== undefined && values.state === ValuesState.AfterComma) role = ParenRole.ValuesRow;
      } else if (lastWordIs('array')) {
        role = ParenRole.ArrayList;
      }
      if (role === ParenRole.ValuesRow) {
        values ??= { firstRowEnd: -1, firstRowPEnd: -1, firstRowText: '', lastRowEnd: -1, lastRowPEnd: -1, rows: 0, uniform: true, state: ValuesState.InRow };
        values.state = ValuesState.InRow;
      }
      emitInput(i, i + 1, Token.Open);
      const paren: Paren = { textStart: outLength(), pStart: params.length, role, capture: '' };
      parens.push(paren);
      if (role !== ParenRole.Other && role !== ParenRole.TypeModifier) captures.push(paren);
      i++;
      continue;
    }
    if (c === Ch.CloseParen || c === Ch.CloseBracket) {
      if (ordinalDepth >= 0 && parens.length <= ordinalDepth) ordinalDepth = -1;
      const open = parens.pop();
      if (open !== undefined && open.role !== ParenRole.Other) {
        const inner = open.capture;
        if (captures[captures.length - 1] === open) captures.pop();
        const count = params.length - open.pStart;
        if (open.role === ParenRole.ValuesRow && values !== undefined) {
          emitInput(i, i + 1, Token.Close);
          const rowText = inner;
          if (values.rows === 0) {
            values.firstRowEnd = outLength();
            values.firstRowPEnd = params.length;
            values.firstRowText = rowText;
          } else if (rowText !== values.firstRowText) {
            values.uniform = false;
          }
          values.rows++;
          values.lastRowEnd = outLength();
          values.lastRowPEnd = params.length;
          values.state = ValuesState.AfterRow;
          i++;
          continue;
        }
        const element = count > 0 ? plainListElement(inner, count, pg) : undefined;
        if (element !== undefined) {
          (spans ??= []).push({
            start: open.textStart,
            end: outLength(),
            pStart: open.pStart,
            pEnd: params.length,
            replacement: `${element} /*, ... */`,
            count,
          });
        }
      }
      emitInput(i, i + 1, Token.Close);
      i++;
      continue;
    }
    if (c === Ch.Comma) {
      emitInput(i, i + 1, Token.Comma);
      i++;
      continue;
    }
    if (c === Ch.Semicolon) {
      // Statement terminator: dropped when trailing — white space and comments after it included
      // (`SELECT 1; -- app` is `SELECT 1`, found by fuzzing) — kept between statements of one entry.
      if (onlyTrailing(input, i + 1, pg, mysql)) break;
      emitInput(i, i + 1, Token.Op);
      i++;
      continue;
    }
    if (c < Ch.Space || c === Ch.Delete) {
      // Control characters (never valid outside strings) are treated as white space.
      pendingSpace = true;
      i++;
      continue;
    }
    emitInput(i, i + 1, Token.Op);
    i++;
  }
  if (values !== undefined) endValues();

  flush();
  const sql = out;
  if (spans === undefined) {
    return { sql, params, types, templateText: sql, templateParams: params, templateTypes: types, firstWord };
  }
  const template = collapseSpans(sql, params, types, spans, pg);
  return { sql, params, types, templateText: template.text, templateParams: template.params, templateTypes: template.types, firstWord };
}

/**
 * The template from the executable text: each span (an IN-list, an ARRAY[…], the rows of a
 * VALUES after the first) replaced by its one-element form, its slots by one list-length slot.
 */
function collapseSpans(
  sql: string,
  params: readonly ParamValue[],
  types: readonly SlotType[],
  spans: Span[],
  pg: boolean,
): { text: string; params: ParamValue[]; types: SlotType[] } {
  spans.sort((a, b) => a.start - b.start);
  let text = '';
  const tParams: ParamValue[] = [];
  const tTypes: SlotType[] = [];
  let at = 0;
  let pAt = 0;
  const copy = (to: number) => {
    for (let k = pAt; k < to; k++) {
      tParams.push(params[k]!);
      tTypes.push(types[k]!);
    }
  };
  for (const span of spans) {
    if (span.start < at) continue; // inside a collapsed region already
    text += sql.slice(at, span.start) + span.replacement;
    copy(span.pStart);
    tParams.push(span.count); // the list's length takes the slot of its MARK
    tTypes.push('list-length');
    at = span.end;
    pAt = span.pEnd;
  }
  text += sql.slice(at);
  copy(params.length);
  // MySQL text has no marks (its slots are all `?`, the row count's too); PostgreSQL's are numbered now.
  return { text: pg ? renumber(text) : text, params: tParams, types: tTypes };
}

const TYPE_MODIFIER_WORDS = [
  'varchar',
  'char',
  'character',
  'nchar',
  'nvarchar',
  'numeric',
  'decimal',
  'dec',
  'varbinary',
  'binary',
  'bit',
  'varbit',
  'time',
  'timestamp',
  'timestamptz',
  'timetz',
  'interval',
  'float',
  'double',
  'datetime',
  'int',
  'integer',
  'tinyint',
  'smallint',
  'mediumint',
  'bigint',
  'year',
  'real',
  'varying',
];
/** The type words by length: a word before `(` is compared with those of its length only, case-insensitively, without slicing it. */
const TYPE_MODIFIERS_BY_LENGTH: string[][] = [];
for (const word of TYPE_MODIFIER_WORDS) (TYPE_MODIFIERS_BY_LENGTH[word.length] ??= []).push(word);

function isTypeModifierWord(input: string, start: number, end: number): boolean {
  const candidates = TYPE_MODIFIERS_BY_LENGTH[end - start];
  if (candidates === undefined) return false;
  next: for (const word of candidates) {
    for (let k = 0; k < word.length; k++) if ((input.charCodeAt(start + k) | AsciiCase.Lower) !== word.charCodeAt(k)) continue next;
    return true;
  }
  return false;
}

/** Words that end a GROUP BY / ORDER BY list. */
const ORDINAL_LIST_END = new Set([
  'limit',
  'offset',
  'having',
  'window',
  'union',
  'except',
  'intersect',
  'for',
  'fetch',
  'returning',
  'into',
  'select',
  'from',
  'where',
]);

/**
 * `MARK, MARK, …` or `MARK::uuid, MARK::uuid, …`: a list of nothing but values (all with the same
 * cast). Returns the element text to keep, or undefined when the list holds anything else.
 */
function plainListElement(inner: string, count: number, pg: boolean): string | undefined {
  const mark = pg ? MARK : '?';
  if (inner[0] !== mark) return undefined;
  const comma = inner.indexOf(',');
  const element = comma === -1 ? inner : inner.slice(0, comma);
  if (element.length > 1 && !/^.::[A-Za-z_][A-Za-z0-9_]*(\[\])?$/.test(element)) return undefined;
  if (inner.length !== count * (element.length + 2) - 2) return undefined;
  const sep = ', ';
  for (let k = 0; k < inner.length; k += element.length + 2) {
    if (inner.slice(k, k + element.length) !== element) return undefined;
    if (k + element.length < inner.length && inner.slice(k + element.length, k + element.length + 2) !== sep) return undefined;
  }
  return pg ? MARK + element.slice(1) : element;
}

/** Whether nothing but white space, `;` and plain comments (no optimizer hints) follows `from`. */
function onlyTrailing(input: string, from: number, pg: boolean, mysql: boolean): boolean {
  const n = input.length;
  let e = from;
  while (e < n) {
    const c = input.charCodeAt(e);
    if (isSpace(c) || c === Ch.Semicolon || c < Ch.Space || c === Ch.Delete) e++;
    else if ((c === Ch.Minus && input.charCodeAt(e + 1) === Ch.Minus) || (c === Ch.Hash && mysql)) {
      const eol = input.indexOf('\n', e);
      if (eol === -1) return true;
      e = eol + 1;
    } else if (c === Ch.Slash && input.charCodeAt(e + 1) === Ch.Star) {
      const marker = input.charCodeAt(e + 2);
      if (marker === Ch.Plus || (mysql && marker === Ch.Bang)) return false;
      e = skipBlockComment(input, e, pg);
    } else return false;
  }
  return true;
}

/**
 * Numbers a collapsed template's placeholders `$1…$n` in text order: `$k` left from the
 * executable form and the MARK of a list length alike. A placeholder repeated in the executable
 * form (GROUP BY reuse) stays one number. Quoted identifiers and kept comments are copied as is.
 */
function renumber(text: string): string {
  let result = '';
  let from = 0;
  let next = 1;
  const numberOf = new Map<string, number>();
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.DoubleQuote) {
      i = findStringEnd(text, i, 34, false) - 1;
    } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star && text.charCodeAt(i + 2) === Ch.Plus) {
      i = skipBlockComment(text, i, true) - 1; // a kept optimizer hint (our own `/*, ... */` marks are numbered)
    } else if (c === Placeholder.Mark) {
      result += text.slice(from, i) + '$' + next++;
      from = i + 1;
    } else if (c === Ch.Dollar && isDigit(text.charCodeAt(i + 1)) && !(i > 0 && isIdentPart(text.charCodeAt(i - 1)))) {
      let e = i + 1;
      while (e < n && isDigit(text.charCodeAt(e))) e++;
      const old = text.slice(i + 1, e);
      let number = numberOf.get(old);
      if (number === undefined) numberOf.set(old, (number = next++));
      result += text.slice(from, i) + '$' + number;
      from = e;
      i = e - 1;
    }
  }
  return result + text.slice(from);
}

function skipBlockComment(input: string, start: number, nested: boolean): number {
  let depth = 1;
  let i = start + 2;
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === Ch.Star && input.charCodeAt(i + 1) === Ch.Slash) {
      depth--;
      i += 2;
      if (depth === 0 || !nested) return i;
      continue;
    }
    if (nested && c === Ch.Slash && input.charCodeAt(i + 1) === Ch.Star) {
      depth++;
      i += 2;
      continue;
    }
    i++;
  }
  return n; // unterminated: the rest is comment
}

/**
 * Index just past the closing quote; `length + 1` when the string never closes, so that
 * `end - 1` is still the end of its body (the last character is not a quote to drop).
 */
function findStringEnd(input: string, start: number, quote: number, backslash: boolean): number {
  const n = input.length;
  let i = start + 1;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === Ch.Backslash && backslash) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (input.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n + 1;
}

const BACKSLASH_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', Z: '\x1a' };

function decodeString(input: string, from: number, to: number, quote: number, backslash: boolean): string {
  const body = input.slice(from, Math.max(from, to));
  const q = String.fromCharCode(quote);
  if (body.indexOf(q) === -1 && (!backslash || body.indexOf('\\') === -1)) return body;
  let result = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && backslash && i + 1 < body.length) {
      const next = body[++i]!;
      result += BACKSLASH_ESCAPES[next] ?? next;
    } else if (ch === q && body[i + 1] === q) {
      result += q;
      i++;
    } else {
      result += ch;
    }
  }
  return result;
}

const CAST_TYPES: Record<string, SlotType> = {
  date: 'datetime',
  timestamp: 'datetime',
  timestamptz: 'datetime',
  time: 'datetime',
  timetz: 'datetime',
  datetime: 'datetime',
  interval: 'interval',
  int: 'int',
  int2: 'int',
  int4: 'int',
  int8: 'int',
  integer: 'int',
  bigint: 'int',
  smallint: 'int',
  numeric: 'float',
  decimal: 'float',
  float4: 'float',
  float8: 'float',
  real: 'float',
  bool: 'bool',
  boolean: 'bool',
  bytea: 'bytes',
};

function isCastNext(input: string, end: number): boolean {
  return input.charCodeAt(end) === Ch.Colon && input.charCodeAt(end + 1) === Ch.Colon;
}

/** A string literal's slot type, from a `::cast` after it or a type keyword before it (`DATE '…'`). */
function stringType(input: string, end: number, wordStart: number, wordEnd: number): SlotType {
  if (isCastNext(input, end)) {
    let e = end + 2;
    while (e < input.length && isIdentPart(input.charCodeAt(e))) e++;
    const t = CAST_TYPES[input.slice(end + 2, e).toLowerCase()];
    if (t !== undefined) return t;
  }
  const len = wordEnd - wordStart;
  if (wordStart >= 0 && len >= 4 && len <= 11) {
    const t = CAST_TYPES[input.slice(wordStart, wordEnd).toLowerCase()];
    if (t === 'datetime' || t === 'interval') return t;
  }
  return 'string';
}

function hasGroupBy(input: string): boolean {
  return GROUP_BY.test(input);
}

const GROUP_BY = /group\s+by/i;

function scanNumberEnd(input: string, start: number): number {
  const n = input.length;
  let i = start;
  const c0 = input.charCodeAt(i);
  const c1 = input.charCodeAt(i + 1) | AsciiCase.Lower;
  if (c0 === Ch.Digit0 && (c1 === Ch.LowerX || c1 === Ch.LowerB || c1 === Ch.LowerO)) {
    // 0x1F, 0b101, 0o17 (with `_` separators)
    i += 2;
    while (i < n) {
      const d = input.charCodeAt(i);
      if (isDigit(d) || d === Ch.Underscore || (c1 === Ch.LowerX && (d | AsciiCase.Lower) >= Ch.LowerA && (d | AsciiCase.Lower) <= Ch.LowerF)) i++;
      else break;
    }
    return i;
  }
  while (i < n && (isDigit(input.charCodeAt(i)) || (input.charCodeAt(i) === Ch.Underscore && isDigit(input.charCodeAt(i + 1))))) i++;
  if (input.charCodeAt(i) === Ch.Dot && input.charCodeAt(i + 1) !== Ch.Dot) {
    i++;
    while (i < n && isDigit(input.charCodeAt(i))) i++;
  }
  const e = input.charCodeAt(i) | AsciiCase.Lower;
  if (e === Ch.LowerE) {
    let j = i + 1;
    const s = input.charCodeAt(j);
    if (s === Ch.Plus || s === Ch.Minus) j++;
    if (isDigit(input.charCodeAt(j))) {
      i = j;
      while (i < n && isDigit(input.charCodeAt(i))) i++;
    }
  }
  return i;
}

/** The value of a numeric literal: a number when it round-trips exactly, else the literal text. */
function numberValue(text: string, pg: boolean): [ParamValue, SlotType] {
  // Fast path: a plain decimal integer of at most 15 digits without a leading zero is exact.
  // (`len` counts the sign and the point too: at most 15 digits either way.)
  const len = text.length;
  if (len <= 15) {
    let k = text.charCodeAt(0) === Ch.Minus ? 1 : 0;
    const first = text.charCodeAt(k);
    if ((first >= Ch.Digit1 && first <= Ch.Digit9) || (first === Ch.Digit0 && k + 1 === len)) {
      let value = 0;
      for (; k < len; k++) {
        const d = text.charCodeAt(k) - 48;
        if (d < 0 || d > 9) break;
        value = value * 10 + d;
      }
      if (k === len) return [text.charCodeAt(0) === Ch.Minus ? -value || 0 : value, 'int'];
      // A plain decimal (`118.33`): at most 15 digits, at least 0.1, no trailing zero, is exactly
      // what a double prints back; with a trailing zero (`42.00`) it is kept as written.
      if (text.charCodeAt(k) === Ch.Dot && k + 1 < len) {
        const point = k;
        for (k++; k < len; k++) {
          const d = text.charCodeAt(k) - 48;
          if (d < 0 || d > 9) break;
        }
        if (k === len && (first !== Ch.Digit0 || text.charCodeAt(point + 1) !== Ch.Digit0)) {
          return [text.charCodeAt(len - 1) === Ch.Digit0 ? text : Number(text), 'float'];
        }
      }
    }
  }
  return numberValueSlow(text, pg);
}

function numberValueSlow(text: string, pg: boolean): [ParamValue, SlotType] {
  const neg = text.charCodeAt(0) === Ch.Minus;
  const body = neg ? text.slice(1) : text;
  const p = body.charCodeAt(1) | AsciiCase.Lower;
  if (body.charCodeAt(0) === Ch.Digit0 && (p === Ch.LowerX || p === Ch.LowerB || p === Ch.LowerO)) {
    if (!pg) return [text, 'bytes'];
    const digits = body.slice(2).replace(/_/g, '');
    const value = parseInt(digits, p === Ch.LowerX ? 16 : p === Ch.LowerB ? 2 : 8);
    return Number.isSafeInteger(value) ? [neg ? -value : value, 'int'] : [text, 'int'];
  }
  const isInt = text.indexOf('.') === -1 && text.indexOf('e') === -1 && text.indexOf('E') === -1;
  const clean = text.indexOf('_') === -1 ? text : text.replace(/_/g, '');
  const value = Number(clean);
  const exact = String(value) === clean && (!isInt || Number.isSafeInteger(value));
  return [exact ? value : clean, isInt ? 'int' : 'float'];
}

/** The end of a dollar-quoted string starting at `start`, or -1 when it is not one. */
function dollarQuoteEnd(input: string, start: number): number {
  let e = start + 1;
  while (e < input.length) {
    const d = input.charCodeAt(e);
    if (d === Ch.Dollar) break;
    if (!(isIdentPart(d) && !(e === start + 1 && isDigit(d)))) return -1;
    e++;
  }
  if (e >= input.length) return -1;
  const tag = input.slice(start, e + 1);
  const close = input.indexOf(tag, e + 1);
  return close === -1 ? -1 : close + tag.length;
}

/** The slot type of a bind parameter value as logged (PostgreSQL logs every value as text). */
function paramType(value: ParamValue): SlotType {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return 'param';
}
