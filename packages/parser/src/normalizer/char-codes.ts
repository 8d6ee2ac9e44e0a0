/**
 * The character codes the scanners compare with (`input.charCodeAt(i) === Ch.Quote`). A `const
 * enum`: the build inlines each as its number, so a named code costs nothing on the hot path.
 * Letters are lower case: compare `code | AsciiCase.Lower` with them.
 */
export const enum Ch {
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  Ampersand = 38,
  Quote = 39,
  OpenParen = 40,
  CloseParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Digit0 = 48,
  Digit1 = 49,
  Digit9 = 57,
  Colon = 58,
  Semicolon = 59,
  Question = 63,
  UpperC = 67,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  Underscore = 95,
  Backtick = 96,
  LowerA = 97,
  LowerB = 98,
  LowerE = 101,
  LowerF = 102,
  LowerN = 110,
  LowerO = 111,
  LowerU = 117,
  LowerX = 120,
  LowerY = 121,
  Delete = 127,
}

/** `code | AsciiCase.Lower` is the lower-case letter of an ASCII letter's code. */
export const enum AsciiCase {
  Lower = 0x20,
}
