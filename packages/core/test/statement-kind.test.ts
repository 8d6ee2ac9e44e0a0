import { kindOfFirstWord, kindOfStatement } from '@sqltrace/core';

describe('statement kinds by first keyword', () => {
  it('names the kind of a statement from its first word, whatever the case and leading space', () => {
    expect(kindOfStatement('  select 1')).toBe('select');
    expect(kindOfStatement('(SELECT 1) UNION (SELECT 2)')).toBe('select');
    expect(kindOfStatement('INSERT INTO t VALUES (1)')).toBe('insert');
    expect(kindOfStatement('COMMIT')).toBe('tcl');
    expect(kindOfStatement('CREATE TABLE t (a int)')).toBe('ddl');
    expect(kindOfStatement('VACUUM')).toBe('utility');
    expect(kindOfStatement('-- a comment first')).toBe('unknown');
    expect(kindOfFirstWord('Update')).toBe('update');
  });
});
