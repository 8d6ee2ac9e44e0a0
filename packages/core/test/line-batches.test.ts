import { Readable } from 'node:stream';
import { readLineBatches, type LineWarning } from '@sqltrace/core';

async function lines(chunks: (string | Buffer)[], options: { maxLineLength?: number } = {}) {
  const warnings: LineWarning[] = [];
  const out: Array<[number, string]> = [];
  for await (const batch of readLineBatches(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), {
    name: 'x.log',
    ...options,
    onWarning: (w) => warnings.push(w),
  })) {
    batch.lines.forEach((l, i) => out.push([batch.firstLine + i, l]));
  }
  return { out, warnings };
}

describe('readLineBatches', () => {
  it('numbers lines across chunk boundaries, strips CR and keeps a last line without newline', async () => {
    const { out } = await lines(['first\r\nsec', 'ond\n', '\nthi', 'rd']);
    expect(out).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, ''],
      [4, 'third'],
    ]);
  });

  it('keeps a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('forêt & océan\n');
    const { out, warnings } = await lines([bytes.subarray(0, 4), bytes.subarray(4)]);
    expect(out).toEqual([[1, 'forêt & océan']]);
    expect(warnings).toEqual([]);
  });

  it('skips an over-long line with a warning naming it, without losing the lines around it', async () => {
    const { out, warnings } = await lines(['short\n', 'x'.repeat(3000), 'y'.repeat(3000) + '\nafter\n'], { maxLineLength: 1000 });
    expect(out).toEqual([
      [1, 'short'],
      [3, 'after'],
    ]);
    expect(warnings).toEqual([{ line: 2, message: 'line longer than 1000 characters skipped' }]);
  });

  it('enforces the limit on a line completed in the next chunk, too', async () => {
    const { out, warnings } = await lines(['first\n' + 'x'.repeat(900), 'y'.repeat(200) + '\nafter\n'], { maxLineLength: 1000 });
    expect(out).toEqual([
      [1, 'first'],
      [3, 'after'],
    ]);
    expect(warnings).toEqual([{ line: 2, message: 'line longer than 1000 characters skipped' }]);
  });

  it('warns about invalid UTF-8 on the line where it occurs', async () => {
    const { out, warnings } = await lines([Buffer.from('ok\n'), Buffer.from([0x62, 0xff, 0xfe, 0x0a]), Buffer.from('fine\n')]);
    expect(out.map(([n]) => n)).toEqual([1, 2, 3]);
    expect(warnings).toEqual([{ line: 2, message: 'invalid UTF-8 bytes replaced by U+FFFD' }]);
  });
});
