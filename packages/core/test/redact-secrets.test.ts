import { containsSecret, redactSecrets } from '@sqltrace/core';

describe('redactSecrets', () => {
  it.each([
    ['postgres://u:At@PW4@127.0.0.1/test', 'postgres://u:***@127.0.0.1/test'],
    ['postgres://u:Sl/ashPG9@127.0.0.1:5432/test', 'postgres://u:***@127.0.0.1:5432/test'],
    ['mysql://root:p:a:ss@db:3306/shop?ssl=true', 'mysql://root:***@db:3306/shop?ssl=true'],
    ['cannot connect to postgres://app:s3cr%40t@db/x: ECONNREFUSED', 'cannot connect to postgres://app:***@db/x: ECONNREFUSED'],
    ['host=127.0.0.1 user=u password=DsnPW2 dbname=test', 'host=127.0.0.1 user=u password=*** dbname=test'],
    ["host=h password='a b\\' c' dbname=t", 'host=h password=*** dbname=t'],
    ['postgres://h/db?user=u&password=QueryPW&sslmode=disable', 'postgres://h/db?user=u&password=***&sslmode=disable'],
    ['Server=x;Uid=u;Pwd=AdoPW;Database=d', 'Server=x;Uid=u;Pwd=***;Database=d'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves text without a password as it is', () => {
    for (const text of ['mysql://root@127.0.0.1:3306/test', 'sqlite:bench.db', 'postgres://u@h/db', 'user@example.com wrote 3 rows'])
      expect(redactSecrets(text)).toBe(text);
  });
});

describe('containsSecret', () => {
  it('is true for every form redactSecrets hides, false for a URL without a password', () => {
    for (const text of ['postgres://app:s3cret@db/x', 'postgres://app:pa/ss@word@db/x', 'postgres://db/x?password=s3cret', 'host=db password=s3cret'])
      expect([text, containsSecret(text)]).toEqual([text, true]);
    for (const text of ['postgres://app@db:5432/x', 'sqlite::memory:', 'mysql://root@127.0.0.1:3306/test'])
      expect([text, containsSecret(text)]).toEqual([text, false]);
  });
});
