import { InputError, StbError, isStbError } from '@sqltrace/core';

describe('errors', () => {
  it('carries a stable code, a hint and the cause', () => {
    const cause = new Error('ENOENT');
    const error = new StbError('E_IO', 'trace.jsonl: no such file', { cause, hint: 'Check the path' });
    expect(error.code).toBe('E_IO');
    expect(error.cause).toBe(cause);
    expect(error.toUserMessage()).toBe('trace.jsonl: no such file. Check the path');
  });

  it('formats input locations as file:line:column', () => {
    const error = new InputError({ file: 'pg.log', line: 12, column: 4 }, 'unterminated string');
    expect(error.message).toBe('pg.log:12:4: unterminated string');
    expect(error.reason).toBe('unterminated string');
  });

  it('is recognised by brand, even from another copy of the module', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@sqltrace/core/StbError')]: true, code: 'E_IO' });
    expect(isStbError(foreign)).toBe(true);
    expect(isStbError(new Error('plain'))).toBe(false);
    expect(isStbError(null)).toBe(false);
  });
});
