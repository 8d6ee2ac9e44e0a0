import { portOpen } from '@sqltrace/driver-contract';
import { MysqlDriver } from '@sqltrace/driver-mysql';
import type { DriverSession } from '@sqltrace/core';

/**
 * The driver's own wire client against the machine's MariaDB: what a replay sends beyond the
 * shared contract — prepared statements with every kind of value, several result sets, replies
 * larger than a socket read, passwords, many prepared texts — and the same answers through mysql2.
 */
const URL_ = process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
let up = false;

beforeAll(async () => {
  const u = new URL(URL_);
  up = await portOpen(Number(u.port || 3306), u.hostname);
  if (!up) {
    const message = `\n!!! MySQL/MariaDB at ${URL_} is not answering: the wire client tests are SKIPPED !!!\n`;
    if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
    console.warn(message);
  }
});

async function withSession<T>(url: string, run: (session: DriverSession, driver: MysqlDriver) => Promise<T>): Promise<T | undefined> {
  if (!up) return undefined;
  const driver = new MysqlDriver({ url });
  const session = await driver.open();
  try {
    return await run(session, driver);
  } finally {
    await driver.destroy();
  }
}

const both = [
  ['wire', URL_],
  ['mysql2', `${URL_}${URL_.includes('?') ? '&' : '?'}client=mysql2`],
] as const;

describe('MySQL wire client', () => {
  it('uses the wire client by default and mysql2 when the URL asks (or carries options it does not read)', () => {
    expect(new MysqlDriver({ url: URL_ }).client).toBe('wire');
    expect(new MysqlDriver({ url: `${URL_}?client=mysql2` }).client).toBe('mysql2');
    expect(new MysqlDriver({ url: `${URL_}?ssl={"rejectUnauthorized":false}` }).client).toBe('mysql2');
    expect(() => new MysqlDriver({ url: `${URL_}?client=odbc` })).toThrow(/unknown MySQL client "odbc".*client=auto or client=mysql2/);
    expect(() => new MysqlDriver({ url: 'mysql://root:s3cret@[not-a-host' })).toThrow(
      expect.objectContaining({ name: 'DriverError', message: expect.not.stringContaining('s3cret') }),
    );
  });

  it.each(both)('%s: a prepared statement binds integers, decimals, text, booleans and NULL, and returns typed values', async (_, url) => {
    const row = await withSession(url, async (s) => {
      const r = await s.execute(
        'SELECT ? AS i, ? AS f, ? AS t, ? AS b, ? AS n, CAST(? AS SIGNED) + 1 AS big, DATE(?) AS d',
        [-42, 2.5, 'O\'Brien \\ "x" ☃', true, null, 9_007_199_254_740_000, '2026-12-07'],
        { prepared: true },
      );
      return r.rows![0];
    });
    if (!up) return;
    expect(row).toMatchObject({ i: -42, f: 2.5, t: 'O\'Brien \\ "x" ☃', b: 1, n: null, big: 9_007_199_254_740_001 });
    // mysql2 gives a Date (in local time), the wire client the server's text.
    const d =
      row!.d instanceof Date
        ? `${row!.d.getFullYear()}-${String(row!.d.getMonth() + 1).padStart(2, '0')}-${String(row!.d.getDate()).padStart(2, '0')}`
        : row!.d;
    expect(d).toBe('2026-12-07');
  });

  it.each(both)('%s: a prepared statement binds edge values: negative and large integers, empty and long text', async (_, url) => {
    const values = [-1, -(2 ** 40) - 3, 2 ** 40 + 5, Number.MIN_SAFE_INTEGER, 0, '', 'é'.repeat(200), 'z'.repeat(70_000)] as const;
    const row = await withSession(
      url,
      async (s) => (await s.execute('SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e, ? AS f, ? AS g, LENGTH(?) AS h', [...values], { prepared: true })).rows![0],
    );
    if (!up) return;
    expect(row).toEqual({ a: -1, b: -(2 ** 40) - 3, c: 2 ** 40 + 5, d: Number.MIN_SAFE_INTEGER, e: 0, f: '', g: 'é'.repeat(200), h: 70_000 });
  });

  it.each(both)('%s: a stored procedure with two result sets and an update answers without desynchronising the connection', async (_, url) => {
    const answers = await withSession(url, async (s) => {
      await s.execute('CREATE TEMPORARY TABLE wire_t (id INT PRIMARY KEY, v VARCHAR(20))');
      await s.execute("INSERT INTO wire_t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      await s.execute('DROP PROCEDURE IF EXISTS wire_two');
      await s.execute(
        "CREATE PROCEDURE wire_two() BEGIN SELECT id FROM wire_t ORDER BY id; SELECT v FROM wire_t WHERE id = 2; UPDATE wire_t SET v = 'z' WHERE id > 1; END",
      );
      const call = await s.execute('CALL wire_two()', undefined, { discardRows: true });
      // The next statement gets its own answer, not the procedure's leftovers.
      const after = await s.execute("SELECT count(*) AS n FROM wire_t WHERE v = 'z'");
      await s.execute('DROP PROCEDURE wire_two');
      return { call: call.rowCount, after: Number(after.rows![0]!.n) };
    });
    if (!up) return;
    expect(answers).toEqual({ call: 3, after: 2 });
  });

  it('counts the rows of a reply far larger than one socket read, and reads them when asked', async () => {
    const result = await withSession(URL_, async (s) => {
      // 20,000 rows of 300 bytes: about 6 MB over many reads, rows cut across them.
      const digits =
        '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
      const sql = `SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS i, REPEAT('x', 300) AS pad FROM ${digits} a, ${digits} b, ${digits} c, ${digits} e, ${digits} f WHERE f.d < 2 ORDER BY i`;
      const counted = await s.execute(sql, undefined, { discardRows: true });
      const read = await s.execute(sql);
      const prepared = await s.execute(sql, [], { prepared: true, discardRows: true });
      return { counted: counted.rowCount, rows: counted.rows, read: read.rows!.length, last: read.rows![19_999], prepared: prepared.rowCount };
    });
    if (!up) return;
    expect(result).toEqual({ counted: 20_000, rows: undefined, read: 20_000, last: { i: 20_000, pad: 'x'.repeat(300) }, prepared: 20_000 });
  });

  it('reads one row far larger than a socket read (a packet over many reads), text and prepared', async () => {
    const values = await withSession(URL_, async (s) => {
      const sql = "SELECT REPEAT('ab', 1500000) AS big, 7 AS after";
      const text = (await s.execute(sql)).rows![0]!;
      const prepared = (await s.execute(sql, [], { prepared: true })).rows![0]!;
      const next = (await s.execute('SELECT 42 AS n')).rows![0]!;
      return [String(text.big).length, text.after, String(prepared.big).length, prepared.after, next.n];
    });
    if (!up) return;
    expect(values).toEqual([3_000_000, 7, 3_000_000, 7, 42]);
  });

  it('sends a statement of several megabytes', async () => {
    const length = await withSession(URL_, async (s) => (await s.execute(`SELECT LENGTH('${'y'.repeat(3_000_000)}') AS n`)).rows![0]!.n);
    if (!up) return;
    expect(length).toBe(3_000_000);
  });

  it("logs in with a password (mysql_native_password), and a wrong one fails with the server's error 1045 and never the password", async () => {
    if (!up) return;
    const admin = new MysqlDriver({ url: URL_ });
    const s = await admin.open();
    await s.execute("DROP USER IF EXISTS 'stb_wire'@'%'");
    await s.execute("CREATE USER 'stb_wire'@'%' IDENTIFIED BY 'p@ss:w/rd'");
    await s.execute("GRANT SELECT ON *.* TO 'stb_wire'@'%'");
    try {
      const url = new URL(URL_);
      url.username = 'stb_wire';
      url.password = encodeURIComponent('p@ss:w/rd');
      const who = await withSession(url.toString(), async (session, driver) => [
        driver.client,
        (await session.execute('SELECT CURRENT_USER() AS u')).rows![0]!.u,
      ]);
      expect(who).toEqual(['wire', 'stb_wire@%']);
      url.password = 'wrong-secret';
      const wrong = new MysqlDriver({ url: url.toString() });
      const error = await wrong.open().then(
        () => undefined,
        (e: unknown) => e as { errno?: number; message: string; connectionLost: boolean },
      );
      expect(error).toMatchObject({ errno: 1045 });
      expect(error!.message).toMatch(/Access denied for user 'stb_wire'/);
      expect(error!.message).not.toContain('wrong-secret');
    } finally {
      await s.execute("DROP USER IF EXISTS 'stb_wire'@'%'");
      await admin.destroy();
    }
  });

  it('runs more distinct prepared statements than it keeps open, closing the oldest on the server', async () => {
    const counts = await withSession(URL_, async (s) => {
      const before = await s.execute("SHOW SESSION STATUS LIKE 'Com_stmt_close'");
      for (let i = 0; i < 700; i++) await s.execute(`SELECT ? + ${i} AS v`, [1], { prepared: true, discardRows: true });
      const again = await s.execute('SELECT ? + 699 AS v', [1], { prepared: true });
      const after = await s.execute("SHOW SESSION STATUS LIKE 'Com_stmt_close'");
      return { closed: Number(after.rows![0]!.Value) - Number(before.rows![0]!.Value), again: again.rows![0]!.v };
    });
    if (!up) return;
    expect(counts).toEqual({ closed: 700 - 512, again: 700 });
  });

  it('a session whose connection the server ends is reported lost, with the statements in flight failed rather than left hanging', async () => {
    const outcome = await withSession(URL_, async (s) => {
      const id = (await s.execute('SELECT CONNECTION_ID() AS id')).rows![0]!.id;
      const sleeping = s.execute('SELECT SLEEP(5)').then(
        () => 'answered',
        (e: { connectionLost?: boolean; errno?: number }) => e,
      );
      const killer = new MysqlDriver({ url: URL_ });
      const k = await killer.open();
      await new Promise((r) => setTimeout(r, 200));
      await k.execute(`KILL ${Number(id)}`);
      await killer.destroy();
      const failed = await sleeping;
      const next = await s.execute('SELECT 1').then(
        () => 'answered',
        (e: { connectionLost?: boolean }) => ({ connectionLost: e.connectionLost }),
      );
      return { failed, next };
    });
    if (!up) return;
    expect(outcome!.failed).toMatchObject({ connectionLost: true });
    expect(outcome!.next).toEqual({ connectionLost: true });
  });
});
