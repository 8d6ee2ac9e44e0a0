import { createHash } from 'node:crypto';
import { isIdentPart } from './char-class';

/** Bumped whenever normalization changes what a template is: ids embed it. */
export const NORMALIZER_VERSION = 1;

/** What a PostgreSQL "quoted" identifier means unquoted: lower-case letters, digits, `_`, `$`. */
const PLAIN_LOWER = /^[a-z_][a-z0-9_$]*$/;
/** A MySQL `quoted` identifier that needs no quotes (the key lower-cases it like any word). */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * The grouping key of a template text: unquoted words lower-cased, white space kept only
 * between two word characters. `SELECT a=$1` and `select a = $1` share a key. Quoting that
 * changes nothing for the server is dropped, as the servers' own grouping does (MySQL's digest,
 * pg_stat_statements' queryid): `users`, "users" and users are one, "Users" is not users.
 */
export function templateKey(text: string): string {
  // Pieces joined once at the end: reading the last char of a growing string would flatten it
  // at every space (quadratic on a statement with thousands of conditions).
  const parts: string[] = [];
  let last = 0; // the last character code kept
  let from = 0; // start of the run being copied unchanged
  const n = text.length;
  let i = 0;
  const flush = (to: number) => {
    if (to > from) parts.push(text.slice(from, to));
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 96) {
      let e = i + 1;
      while (e < n && !(text.charCodeAt(e) === c && text.charCodeAt(e + 1) !== c)) e += text.charCodeAt(e) === c ? 2 : 1;
      const content = text.slice(i + 1, e);
      if (e < n && (c === 34 ? PLAIN_LOWER : PLAIN).test(content)) {
        flush(i);
        parts.push(content.toLowerCase());
        from = e + 1;
        last = content.charCodeAt(content.length - 1) | 0x20;
        i = e + 1;
        continue;
      }
      i = Math.min(e + 1, n);
      last = text.charCodeAt(i - 1);
      continue;
    }
    if (c === 32) {
      flush(i);
      if (parts.length > 0 && isWordish(last) && startsWord(text, i + 1)) parts.push(' ');
      from = ++i;
      continue;
    }
    if (c >= 65 && c <= 90) {
      flush(i);
      parts.push(String.fromCharCode(c | 0x20));
      from = i + 1;
    }
    last = c >= 65 && c <= 90 ? c | 0x20 : c;
    i++;
  }
  flush(n);
  return parts.join('');
}

/** Whether a word (or an identifier the key will unquote) starts at `at`. */
function startsWord(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (isWordish(c)) return true;
  if (c !== 34 && c !== 96) return false;
  const close = text.indexOf(String.fromCharCode(c), at + 1);
  return close > at && (c === 34 ? PLAIN_LOWER : PLAIN).test(text.slice(at + 1, close));
}

function isWordish(code: number): boolean {
  return isIdentPart(code) || code === 36 || code === 63;
}

/** A template's stable id: 16 hex digits of SHA-1 over the normalizer version, dialect and key. */
export function templateId(dialect: string, text: string): string {
  return createHash('sha1')
    .update(`stb-template-v${NORMALIZER_VERSION}\0${dialect}\0${templateKey(text)}`)
    .digest('hex')
    .slice(0, 16);
}
