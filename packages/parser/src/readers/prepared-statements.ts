import type { ParamValue } from '@sqltrace/core';

/** A statement a MySQL/MariaDB client prepared: its text, cut at its `?` placeholders. */
export interface PreparedText {
  readonly text: string;
  /** The text between placeholders: one more than there are placeholders. */
  readonly fragments: readonly string[];
}

/** Cuts a prepared statement's text at its `?` placeholders (not those inside quotes or comments). */
export function preparedText(text: string): PreparedText {
  const fragments: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') i = closing(text, i, c);
    else if (c === '#' || (c === '-' && text[i + 1] === '-' && /\s/.test(text[i + 2] ?? ' '))) i = lineEnd(text, i);
    else if (c === '/' && text[i + 1] === '*') i = Math.max(i + 1, text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 1);
    else if (c === '?') {
      fragments.push(text.slice(from, i));
      from = i + 1;
    }
  }
  fragments.push(text.slice(from));
  return { text, fragments };
}

/** Whether the text still has placeholders (an `Execute` logged without its values). */
export function hasPlaceholders(prepared: PreparedText): boolean {
  return prepared.fragments.length > 1;
}

/**
 * The values a logged `Execute` ran its prepared statement with: the server logs the statement
 * with each placeholder replaced by its value as a literal (`42`, `'text'`, `NULL`). Undefined
 * when `executed` is not `prepared` with literals in its placeholders' places, or a value is one
 * a replay cannot send as it was (a hexadecimal or bit literal).
 */
export function valuesOf(prepared: PreparedText, executed: string): ParamValue[] | undefined {
  const f = prepared.fragments;
  if (!executed.startsWith(f[0]!)) return undefined;
  let pos = f[0]!.length;
  const values: ParamValue[] = [];
  for (let k = 1; k < f.length; k++) {
    const literal = readLiteral(executed, pos);
    if (literal === undefined) return undefined;
    values.push(literal.value);
    pos = literal.end;
    if (!executed.startsWith(f[k]!, pos)) return undefined;
    pos += f[k]!.length;
  }
  return pos === executed.length ? values : undefined;
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const INTRODUCER = /_[a-z0-9]+(?=')/iy;
const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

function readLiteral(s: string, pos: number): { value: ParamValue; end: number } | undefined {
  if (s.startsWith('NULL', pos)) return { value: null, end: pos + 4 };
  INTRODUCER.lastIndex = pos;
  const introducer = INTRODUCER.exec(s);
  if (introducer !== null) pos += introducer[0].length;
  if (s[pos] === "'") return readString(s, pos);
  NUMBER.lastIndex = pos;
  const n = NUMBER.exec(s);
  if (n === null) return undefined;
  const text = n[0];
  const value = Number(text);
  // An integer beyond 2^53 keeps its digits (the server reads the string as the number it was).
  return { value: /^-?\d+$/.test(text) && !Number.isSafeInteger(value) ? text : value, end: pos + text.length };
}

function readString(s: string, quote: number): { value: string; end: number } | undefined {
  // Copied a run at a time between escapes (a sysbench row's strings are 60–120 characters).
  let out = '';
  let from = quote + 1;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \\ */ && i + 1 < s.length) {
      const next = s[i + 1]!;
      out += s.slice(from, i) + (ESCAPES[next] ?? next);
      from = ++i + 1;
    } else if (c === 39 /* ' */) {
      out += s.slice(from, i);
      if (s.charCodeAt(i + 1) !== 39) return { value: out, end: i + 1 };
      out += "'";
      from = ++i + 1;
    }
  }
  return undefined;
}

function closing(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) {
      if (text[i + 1] === quote) i++;
      else return i;
    }
  }
  return text.length;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}
