import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isStbError, type StbError } from '@sqltrace/core';
import { parseLogsToTrace } from '@sqltrace/parser';
import { FIXTURES, expectAccounted, parseAll } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'stb-bad-'));

async function failure(path: string, options = {}): Promise<StbError> {
  const error = await parseAll(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStbError(error)).toBe(true);
  return error as StbError;
}

describe('bad input: one clear error naming the file (and line), never a crash', () => {
  it('a missing file and a directory', async () => {
    expect((await failure(join(dir, 'nope.log'))).message).toBe(`${join(dir, 'nope.log')}: no such file`);
    expect((await failure(dir)).message).toBe(`${dir}: is a directory`);
  });

  it('a binary file', async () => {
    const path = join(dir, 'binary.log');
    writeFileSync(path, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0, 0, 10, 0, 0]));
    const error = await failure(path);
    expect(error.code).toBe('E_FORMAT');
    expect(error.message).toBe(`${path}:1: this is a binary file, not a text log`);
  });

  it('a truncated gzip: the events before the damage, then an error naming the line', async () => {
    const path = join(dir, 'truncated.log.gz');
    const full = gzipSync(Buffer.from(Array.from({ length: 3000 }, (_, i) => `2024-01-01 00:00:00.000 UTC [1] LOG:  statement: SELECT ${i}\n`).join('')));
    writeFileSync(path, full.subarray(0, Math.floor(full.length * 0.6)));
    const error = await failure(path);
    expect(error.code).toBe('E_IO');
    expect(error.message).toMatch(/truncated\.log\.gz:\d+: compressed input is truncated or corrupt/);
  });

  it('a log in an unknown format', async () => {
    const path = join(dir, 'unknown.log');
    writeFileSync(path, 'hello world\nthis is not a database log\n');
    const error = await failure(path);
    expect(error.code).toBe('E_FORMAT');
    expect(error.message).toBe(`${path}:1: not a log format stb knows`);
    expect(error.hint).toMatch(/--format/);
  });

  it('a trace given to the log parser is recognised as such', async () => {
    const path = join(dir, 'trace.jsonl');
    writeFileSync(path, '{"ts":1,"session":"a","sql":"SELECT 1"}\n');
    expect((await failure(path)).message).toBe(`${path}:1: this is already a trace, not a log`);
  });

  it('a 50 MB single line is skipped with a warning, and the lines around it are parsed', async () => {
    const path = join(dir, 'huge-line.log');
    const line = (i: number) => `2024-01-01 00:00:0${i}.000 UTC [1] LOG:  statement: SELECT ${i}\n`;
    writeFileSync(path, line(1) + `2024-01-01 00:00:02.000 UTC [1] LOG:  statement: SELECT '${'x'.repeat(50 * 1024 * 1024)}'\n` + line(3));
    const warnings: string[] = [];
    const { events, summary } = await parseAll(path, { maxLineLength: 16 * 1024 * 1024, onWarning: (w) => warnings.push(`${w.line}: ${w.message}`) });
    expect(events.map((e) => e.params)).toEqual([[1], [3]]);
    expect(warnings).toEqual(['2: line longer than 16777216 characters skipped']);
    expect(summary.totalLines).toBe(3);
  });

  it('invalid UTF-8: a warning naming the line; the statement is kept', async () => {
    const path = join(dir, 'latin1.log');
    writeFileSync(path, Buffer.concat([Buffer.from("2024-01-01 00:00:00.000 UTC [1] LOG:  statement: SELECT 'caf"), Buffer.from([0xe9]), Buffer.from("'\n")]));
    const warnings: string[] = [];
    const { events } = await parseAll(path, { onWarning: (w) => warnings.push(`${w.file}:${w.line}: ${w.message}`) });
    expect(events).toHaveLength(1);
    expect(warnings).toEqual([`${path}:1: invalid UTF-8 bytes replaced by U+FFFD`]);
  });

  it('a log with no statements: an error that says why and where', async () => {
    const path = join(dir, 'no-statements.log');
    writeFileSync(path, '2024-01-01 00:00:00.000 UTC [1] LOG:  checkpoint starting: time\n2024-01-01 00:00:01.000 UTC [1] LOG:  checkpoint complete\n');
    const error = await parseLogsToTrace([path], { output: join(dir, 'out.jsonl') }).then(
      () => undefined,
      (e: unknown) => e as StbError,
    );
    expect(error?.code).toBe('E_INPUT');
    expect(error?.message).toBe(`no statements found in ${path}: LOG message that is not a statement (2 lines, first at ${path}:1)`);
  });

  it('an empty file', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    expect((await failure(path)).message).toBe(`${path}: the input is empty`);
  });

  it('an unknown --prefix escape is a usage error', async () => {
    const error = await failure(join(FIXTURES, 'errlog'), { format: 'pg-stderr', prefix: '%Z ' });
    expect(error.code).toBe('E_USAGE');
    expect(error.message).toBe('log_line_prefix escape %Z is not known');
  });

  it('an explicit --prefix is used as given', async () => {
    const { events, summary } = await parseAll(join(FIXTURES, 'errlog'), { format: 'pg-stderr', prefix: '%m|%u|%d|%c|' });
    expectAccounted(summary);
    expect(summary.prefix).toBe('%m|%u|%d|%c|');
    expect(events).toHaveLength(23);
  });
});

describe('bzip2 input', () => {
  it('reads a bzip2 log and reports a truncated one as an error, not a short log', async () => {
    const { execFileSync } = await import('node:child_process');
    const lines = Array.from({ length: 20_000 }, (_, i) => `2024-01-01 00:00:00.000 UTC [1] LOG:  statement: SELECT ${i}\n`).join('');
    const full = execFileSync('bzip2', ['-c'], { input: lines });
    const good = join(dir, 'good.log.bz2');
    writeFileSync(good, full);
    const { events } = await parseAll(good);
    expect(events).toHaveLength(20_000);
    const cut = join(dir, 'cut.log.bz2');
    writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    const error = await failure(cut);
    expect(error.code).toBe('E_IO');
    expect(error.message).toMatch(/cut\.log\.bz2:\d+: compressed input is truncated or corrupt \(bzip2: .*\)/);
  });
});

describe('several inputs into one trace', () => {
  it("counts each input's own templates", async () => {
    const result = await parseLogsToTrace([join(FIXTURES, 'errlog'), join(FIXTURES, 'stmt_type.log')], { output: join(dir, 'two.jsonl') });
    expect(result.inputs.map((s) => [s.events, s.templates])).toEqual([
      [23, 15],
      [12, 12],
    ]);
    expect(result.events).toBe(35);
  });
});
