import fc from 'fast-check';

/** Text that breaks parsers: quotes, escapes, comment marks, separators, control and wide characters. */
const NASTY = [
  "'",
  '"',
  '`',
  '\\',
  '$$',
  '$tag$',
  '--',
  '/*',
  '*/',
  '#',
  ';',
  '\n',
  '\r\n',
  '\t',
  '\0',
  ' ',
  '(',
  ')',
  ',',
  '?',
  '$1',
  '$99999999999',
  ':name',
  "E'",
  "X'",
  'IN (',
  'VALUES (',
  '::',
  '\u00a0',
  '\u2028',
  '\ud83d\ude00',
  '\ufffd',
  '1e309',
  '-',
  '0x',
  '9'.repeat(40),
  'NULL',
  '[',
  ']',
  '{',
  '}',
  '%',
  'LOG:  ',
  'statement: ',
  'duration: ',
  'Query\t',
  'Connect\t',
];

/** A string to splice in: one of the nasty pieces, or arbitrary (full Unicode) text. */
export const insertion: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** One edit of a string at a relative position. */
type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'repeat'; at: number; length: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: insertion }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 20 }) }),
);

function apply(text: string, e: Edit): string {
  const at = Math.floor(e.at * text.length);
  switch (e.kind) {
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.length);
    case 'truncate':
      return text.slice(0, at);
    case 'repeat':
      return text.slice(0, at + e.length) + text.slice(at, at + e.length) + text.slice(at + e.length);
  }
}

/** A seed string with a few edits (or none: the seed itself is checked too). */
export function mutatedString(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 4 })).map(([seed, edits]) => edits.reduce(apply, seed));
}

/** One edit of a list of lines. */
type LineEdit =
  | { kind: 'edit'; at: number; edit: Edit }
  | { kind: 'drop'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'join'; at: number }
  | { kind: 'insert'; at: number; text: string };

const lineEdit: fc.Arbitrary<LineEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), edit }) },
  fc.record({ kind: fc.constant('drop' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), with: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('join' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: insertion }),
);

function applyLines(lines: string[], e: LineEdit): string[] {
  if (lines.length === 0) return e.kind === 'insert' ? [e.text] : lines;
  const i = Math.min(lines.length - 1, Math.floor(e.at * lines.length));
  const out = [...lines];
  switch (e.kind) {
    case 'edit':
      out[i] = apply(out[i]!, e.edit);
      return out;
    case 'drop':
      out.splice(i, 1);
      return out;
    case 'duplicate':
      out.splice(i, 0, out[i]!);
      return out;
    case 'swap': {
      const j = Math.min(lines.length - 1, Math.floor(e.with * lines.length));
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }
    case 'join':
      out.splice(i, 2, out[i]! + (out[i + 1] ?? ''));
      return out;
    case 'insert':
      out.splice(i, 0, e.text);
      return out;
  }
}

/** A window of a real log's lines (up to `window`), with a few line and character edits. */
export function mutatedLines(lines: readonly string[], window = 60): fc.Arbitrary<string[]> {
  return fc
    .tuple(fc.nat({ max: Math.max(0, lines.length - 1) }), fc.integer({ min: 1, max: window }), fc.array(lineEdit, { maxLength: 6 }))
    .map(([from, count, edits]) => edits.reduce(applyLines, lines.slice(from, from + count)));
}
