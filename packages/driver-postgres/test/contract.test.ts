import { describeDriverContract, portOpen, POSTGRES_SPELLING } from '@sqltrace/driver-contract';
import { PostgresDriver } from '@sqltrace/driver-postgres';

const URL = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const port = Number(new globalThis.URL(URL).port || 5432);

describe('PostgreSQL driver contract', () => {
  let up = true;
  beforeAll(async () => {
    up = await portOpen(port, new globalThis.URL(URL).hostname);
    if (!up) {
      const message = `\n!!! PostgreSQL at ${URL} is not answering: the driver contract cannot run !!!\n`;
      if (process.env.CI === 'true') throw new Error(`${message}(CI=true: it must run)`);
      console.warn(message);
    }
  });

  describeDriverContract({
    name: 'postgres',
    create: () => new PostgresDriver({ url: URL }),
    unreachable: () => new PostgresDriver({ url: 'postgres://stb:s3cret-pw@127.0.0.1:1/test', connectTimeoutMs: 2_000 }),
    secretInUrl: 's3cret-pw',
    ...POSTGRES_SPELLING,
  });
});
