import { describeDriverContract, portOpen } from '@sqltrace/driver-contract';
import { MysqlDriver } from '@sqltrace/driver-mysql';

const URL = process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const port = Number(new globalThis.URL(URL).port || 3306);

describe('MySQL/MariaDB driver contract', () => {
  beforeAll(async () => {
    if (!(await portOpen(port, new globalThis.URL(URL).hostname))) {
      const message = `\n!!! MySQL/MariaDB at ${URL} is not answering: the driver contract cannot run !!!\n`;
      if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
      console.warn(message);
    }
  });

  describeDriverContract({
    name: 'mysql',
    create: () => new MysqlDriver({ url: URL }),
    unreachable: () => new MysqlDriver({ url: 'mysql://stb:s3cret-pw@127.0.0.1:1/test', connectTimeoutMs: 2_000 }),
    secretInUrl: 's3cret-pw',
    placeholder: () => '?',
    uniqueViolation: '23000',
    syntaxError: '42000',
    kill: { idSql: 'SELECT CONNECTION_ID() AS id', killSql: (id) => `KILL ${Number(id)}` },
    begin: 'BEGIN',
  });
});
