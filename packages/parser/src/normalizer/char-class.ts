/** Character classes for the scanner, indexed by char code (ASCII only; >127 counts as a letter). */
export const IDENT_START = 1;
export const IDENT_PART = 2;
export const DIGIT = 4;
export const SPACE = 8;

export const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) CHAR_CLASS[c] = IDENT_START | IDENT_PART;
  if (/[0-9]/.test(ch)) CHAR_CLASS[c] = DIGIT | IDENT_PART;
  // White space, and the other control characters (NUL…): no token holds them, and kept as
  // text they made `;\0` a template of its own (found by fuzzing).
  if (c < 32 || c === 32 || c === 127) CHAR_CLASS[c] = SPACE;
}

export function isIdentPart(code: number): boolean {
  return code >= 128 || (CHAR_CLASS[code]! & IDENT_PART) !== 0;
}

export function isIdentStart(code: number): boolean {
  return code >= 128 || (CHAR_CLASS[code]! & IDENT_START) !== 0;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isSpace(code: number): boolean {
  return code < 128 && (CHAR_CLASS[code]! & SPACE) !== 0;
}
