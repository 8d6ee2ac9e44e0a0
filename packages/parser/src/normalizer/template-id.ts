import { createHash } from 'node:crypto';
import { isIdentPart } from './char-class';

/** Bumped whenever normalization changes what a template is: ids embed it. */
export const NORMALIZER_VERSION = 1;

/**
 * The grouping key of a template text: unquoted words lower-cased, white space kept only
 * between two word characters. `SELECT a=$1` and `select a = $1` share a key.
 */
export function templateKey(text: string): string {
  let key = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 96) {
      let e = i + 1;
      while (e < n && !(text.charCodeAt(e) === c && text.charCodeAt(e + 1) !== c)) e += text.charCodeAt(e) === c ? 2 : 1;
      key += text.slice(i, e + 1);
      i = e + 1;
      continue;
    }
    if (c === 32) {
      const before = key.charCodeAt(key.length - 1);
      const after = text.charCodeAt(i + 1);
      if (key.length > 0 && isWordish(before) && isWordish(after)) key += ' ';
      i++;
      continue;
    }
    key += c >= 65 && c <= 90 ? String.fromCharCode(c | 0x20) : text[i];
    i++;
  }
  return key;
}

function isWordish(code: number): boolean {
  return isIdentPart(code) || code === 36 || code === 63;
}

/** A template's stable id: 16 hex digits of SHA-1 over the normalizer version, dialect and key. */
export function templateId(dialect: string, text: string): string {
  return createHash('sha1').update(`stb-template-v${NORMALIZER_VERSION}\0${dialect}\0${templateKey(text)}`).digest('hex').slice(0, 16);
}
