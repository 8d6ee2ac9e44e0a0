import { Normalizer, scanSql, templateRoundTripProblem } from '@sqltrace/parser';

const pg = new Normalizer({ dialect: 'postgres' });
const my = new Normalizer({ dialect: 'mysql' });

describe('normalizer: the bugs other tools have', () => {
  it('keeps the minus of a subtraction: balance - 100.50', () => {
    const n = pg.normalize('UPDATE accounts SET balance = balance - 100.50 WHERE id = 7');
    expect(n.template.text).toBe('UPDATE accounts SET balance = balance - $1 WHERE id = $2');
    expect(n.params).toEqual(['100.50', 7]);
    expect(n.types).toEqual(['float', 'int']);
  });

  it('turns a hex literal into one slot: 0x1F, not ?f', () => {
    expect(pg.normalize('SELECT * FROM t WHERE flags = 0x1F').template.text).toBe('SELECT * FROM t WHERE flags = $1');
    expect(pg.normalize('SELECT * FROM t WHERE flags = 0x1F').params).toEqual([31]);
    expect(my.normalize('SELECT * FROM t WHERE flags = 0x1F').template.text).toBe('SELECT * FROM t WHERE flags = ?');
    expect(my.normalize("SELECT X'1F', b'0101'").types).toEqual(['bytes', 'bytes']);
  });

  it('treats "Users" as an identifier in PostgreSQL and as a string in MySQL', () => {
    expect(pg.normalize('SELECT * FROM "Users" WHERE "Name" = \'x\'').template.text).toBe('SELECT * FROM "Users" WHERE "Name" = $1');
    expect(my.normalize('SELECT * FROM users WHERE name = "x"').template.text).toBe('SELECT * FROM users WHERE name = ?');
  });

  it('drops a trailing -- comment and # comments (MySQL)', () => {
    expect(pg.normalize('SELECT 1 -- trailing').template.text).toBe('SELECT $1');
    expect(pg.normalize('SELECT 1 -- trailing').template.id).toBe(pg.normalize('SELECT 2').template.id);
    expect(my.normalize('SELECT a FROM t # why\nWHERE b = 2').template.text).toBe('SELECT a FROM t WHERE b = ?');
  });

  it('keeps 100.50 as one number, not ?.?', () => {
    const n = pg.normalize('SELECT 100.50, 1e10, .5, -3, 1_000');
    expect(n.template.text).toBe('SELECT $1, $2, $3, $4, $5');
    expect(n.params).toEqual(['100.50', '1e10', '.5', -3, 1000]);
  });
});

describe('normalizer: dialect rules', () => {
  it("reads E'' escapes, doubled quotes, dollar quotes and backslashes per dialect", () => {
    expect(pg.normalize("SELECT E'it\\'s', 'it''s', $$body 'with' quotes$$, $tag$x$tag$").params).toEqual(["it's", "it's", "body 'with' quotes", 'x']);
    // standard_conforming_strings: a backslash is just a character in a plain PostgreSQL string
    expect(pg.normalize("SELECT 'C:\\path'").params).toEqual(['C:\\path']);
    expect(my.normalize("SELECT 'it\\'s', `weird``name`").params).toEqual(["it's"]);
    expect(my.normalize("SELECT 'it\\'s', `weird``name`").template.text).toBe('SELECT ?, `weird``name`');
  });

  it('keeps the ? jsonb operators in PostgreSQL and treats ? as a placeholder in MySQL', () => {
    expect(pg.normalize("SELECT data ? 'key', data ?| array['a'] FROM t").template.text).toBe('SELECT data ? $1, data ?| array[$2 /*, ... */] FROM t');
    const n = my.normalize('SELECT * FROM t WHERE a = ? AND b = ?', [5, 'x']);
    expect(n.params).toEqual([5, 'x']);
  });

  it('keeps casts and types the slot from them', () => {
    const n = pg.normalize("SELECT '2024-01-01'::date, '1 day'::interval, '42'::int8, x::text FROM t");
    expect(n.template.text).toBe('SELECT $1::date, $2::interval, $3::int8, x::text FROM t');
    expect(n.types).toEqual(['datetime', 'interval', 'int']);
  });

  it("turns typed literals DATE '…' and INTERVAL '…' into executable casts", () => {
    const n = pg.normalize("SELECT * FROM t WHERE d > DATE '2024-01-01' - INTERVAL '7 days'");
    expect(n.sql).toBe('SELECT * FROM t WHERE d > $1::DATE - $2::INTERVAL');
    expect(n.types).toEqual(['datetime', 'interval']);
  });

  it("turns MySQL typed literals DATE '…' into CAST(? AS DATE), which a prepared statement accepts", () => {
    const n = my.normalize("SELECT * FROM t WHERE d IN (DATE '2024-01-01') AND t < TIMESTAMP '2024-01-01 00:00:00'");
    expect(n.sql).toBe('SELECT * FROM t WHERE d IN (CAST(? AS DATE)) AND t < CAST(? AS TIMESTAMP)');
    expect(n.types).toEqual(['datetime', 'datetime']);
  });

  it('renumbers $n placeholders in text order and takes their values from the bind parameters', () => {
    const n = pg.normalize('SELECT $2, 5, $1 FROM t', ['first', 'second']);
    expect(n.sql).toBe('SELECT $1, $2, $3 FROM t');
    expect(n.params).toEqual(['second', 5, 'first']);
  });

  it('does not touch ordinals, type modifiers or FETCH counts, which are syntax', () => {
    expect(pg.normalize('SELECT a, count(*) FROM t WHERE b = 3 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10').sql).toBe(
      'SELECT a, count(*) FROM t WHERE b = $1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $2',
    );
    expect(pg.normalize("SELECT CAST('abc' AS varchar(50)), x::numeric(10, 2)").sql).toBe('SELECT CAST($1 AS varchar(50)), x::numeric(10, 2)');
    expect(pg.normalize('FETCH 1000 FROM cur').sql).toBe('FETCH 1000 FROM cur');
  });

  it('reuses the select-list parameter for the same literal in GROUP BY, so the query stays valid', () => {
    expect(pg.normalize("SELECT date_trunc('day', ts), count(*) FROM t GROUP BY date_trunc('day', ts)").sql).toBe(
      'SELECT date_trunc($1, ts), count(*) FROM t GROUP BY date_trunc($1, ts)',
    );
  });

  it('reads unterminated strings, comments and dollar quotes to the end instead of failing', () => {
    expect([pg.normalize("SELECT 'open").sql, pg.normalize("SELECT 'open").params]).toEqual(['SELECT $1', ['open']]);
    expect(pg.normalize('SELECT 1 /* open').sql).toBe('SELECT $1');
    expect(pg.normalize('SELECT $tag$ open').sql).toBe('SELECT $tag$ open');
    expect(pg.normalize('SELECT "open').sql).toBe('SELECT "open');
    expect(my.normalize("SELECT 'it\\'").params).toEqual(["it'"]);
    for (const sql of ['', ';;', '$', '?']) {
      expect(pg.normalize(sql).template.id).toMatch(/^[0-9a-f]{16}$/);
      expect(my.normalize(sql).template.id).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});

describe('normalizer: lists collapse, their length becomes a slot', () => {
  it('gives IN-lists of any length one template, with the length as a list-length slot', () => {
    const one = pg.normalize('SELECT * FROM t WHERE id IN (7)');
    const three = pg.normalize('SELECT * FROM t WHERE id IN (1, 2, 3) AND x = 9');
    expect(three.template.text).toBe('SELECT * FROM t WHERE id IN ($1 /*, ... */) AND x = $2');
    expect(one.template.id).toBe(pg.normalize('SELECT * FROM t WHERE id IN ($1 /*, ... */)').template.id);
    expect(three.templateParams).toEqual([3, 9]);
    expect(three.template.slots.map((s) => s.type)).toEqual(['list-length', 'int']);
    // The executable form keeps every value: nothing the workload needs is thrown away.
    expect(three.sql).toBe('SELECT * FROM t WHERE id IN ($1, $2, $3) AND x = $4');
    expect(three.params).toEqual([1, 2, 3, 9]);
  });

  it('gives uniform multi-row VALUES one template with the row count as a slot', () => {
    const a = pg.normalize("INSERT INTO t (a, b) VALUES (1, 'x')");
    const b = pg.normalize("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    expect(a.template.id).toBe(b.template.id);
    expect(b.template.text).toBe('INSERT INTO t (a, b) VALUES ($1, $2) /*, ... ($3 rows) */');
    expect(b.templateParams).toEqual([1, 'x', 3]);
    expect(b.params).toEqual([1, 'x', 2, 'y', 3, 'z']);
    // Rows of different shapes are not merged.
    expect(pg.normalize("INSERT INTO t VALUES (1, 'x'), (2, DEFAULT)").template.id).not.toBe(b.template.id);
  });

  it('collapses ARRAY[…] and IN-lists of casted parameters, not subqueries or expressions', () => {
    expect(pg.normalize('SELECT * FROM t WHERE id = ANY(ARRAY[1, 2])').template.text).toBe('SELECT * FROM t WHERE id = ANY(ARRAY[$1 /*, ... */])');
    expect(pg.normalize('SELECT * FROM x WHERE y IN ($1::uuid, $2::uuid)').template.text).toBe('SELECT * FROM x WHERE y IN ($1::uuid /*, ... */)');
    expect(pg.normalize('SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE v = 1)').template.text).toBe(
      'SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE v = $1)',
    );
    expect(pg.normalize('SELECT * FROM t WHERE id IN (1 + 2, 3)').template.text).toBe('SELECT * FROM t WHERE id IN ($1 + $2, $3)');
    // `VALUES(col)` in MySQL's ON DUPLICATE KEY UPDATE is a function, not a row.
    expect(my.normalize('INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a) + 1').template.text).toBe(
      'INSERT INTO t (a) VALUES (?) /*, ... (? rows) */ ON DUPLICATE KEY UPDATE a = VALUES(a) + ?',
    );
  });
});

describe('normalizer: templates', () => {
  it('groups statements regardless of case, spacing and comments, and keeps ids stable', () => {
    const ids = ['SELECT a FROM t WHERE b=1', 'select a from t where b = 2', 'SELECT  a\n FROM t /* hint */ WHERE b =  3;'].map(
      (s) => pg.normalize(s).template.id,
    );
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(new Normalizer({ dialect: 'postgres' }).normalize('SELECT a FROM t WHERE b=1').template.id).toBe(ids[0]);
    expect(pg.normalize('SELECT * FROM "T"').template.id).not.toBe(pg.normalize('SELECT * FROM "t"').template.id);
  });

  it('fills kind and tables from the grammar', () => {
    const t = pg.normalize('WITH c AS (SELECT * FROM base) INSERT INTO target SELECT * FROM c JOIN other USING (id)').template;
    expect(t.kind).toBe('insert');
    expect(t.tables).toEqual({ read: ['base', 'other'], written: ['target'] });
  });

  it('exposes the scanner on its own, with the same executable form and template', () => {
    const scan = scanSql('SELECT * FROM t WHERE id IN (1, 2)', 'postgres');
    const n = pg.normalize('SELECT * FROM t WHERE id IN (1, 2)');
    expect([scan.sql, scan.templateText, scan.templateParams]).toEqual([n.sql, n.template.text, n.templateParams]);
  });
});

describe('normalizer: the template cache', () => {
  it('keeps templates apart whose texts differ in a single character anywhere, asked in any order', () => {
    const base = 'SELECT abc FROM tabx WHERE idy = 1 AND flag = 2';
    const variants: string[] = [];
    for (let k = 0; k < base.length; k++) {
      if (/[a-z]/.test(base[k]!)) variants.push(base.slice(0, k) + (base[k] === 'q' ? 'r' : 'q') + base.slice(k + 1));
    }
    const fresh = (sql: string) => new Normalizer({ dialect: 'mysql' }).normalize(sql).template;
    const cached = new Normalizer({ dialect: 'mysql', cacheSize: 1_000 });
    for (const round of [0, 1]) {
      for (const sql of round === 0 ? variants : [...variants].reverse()) {
        const template = cached.normalize(sql).template;
        expect(template.text).toBe(fresh(sql).text);
        expect(template.id).toBe(fresh(sql).id);
      }
    }
    expect(new Set(variants.map((sql) => cached.normalize(sql).template.id)).size).toBe(variants.length);
  });

  it('starts over when full, and still answers right', () => {
    const small = new Normalizer({ dialect: 'postgres', cacheSize: 3 });
    for (let k = 0; k < 20; k++) expect(small.normalize(`SELECT c${k % 7} FROM t WHERE id = ${k}`).template.text).toBe(`SELECT c${k % 7} FROM t WHERE id = $1`);
  });
});

describe('normalizer: number values', () => {
  it('keeps a decimal as a number exactly when the number prints back as written, else as its text', () => {
    const n = my.normalize('SELECT 118.33, 42.00, -7.25, 0.5, 0.05, 123456789012.5, 1.0e3, 00.5, 9007199254740993, 12345678901234.56, 1.12345678901234567');
    expect(n.params).toEqual([
      118.33,
      '42.00',
      -7.25,
      0.5,
      0.05,
      123456789012.5,
      '1.0e3',
      '00.5',
      '9007199254740993',
      12345678901234.56,
      '1.12345678901234567',
    ]);
    expect(n.types).toEqual(['float', 'float', 'float', 'float', 'float', 'float', 'float', 'float', 'int', 'float', 'float']);
  });
});

describe('quoting that changes nothing for the server', () => {
  // MariaDB's digest and pg_stat_statements' queryid group these as one statement.
  it('groups `users` and users in MySQL, "users" and users in PostgreSQL, but not "Users" and users', () => {
    const my = new Normalizer({ dialect: 'mysql' });
    const pg = new Normalizer({ dialect: 'postgres' });
    const id = (n: Normalizer, sql: string) => n.normalize(sql).template.id;
    expect(id(my, 'SELECT * FROM `users` WHERE `id` = 8')).toBe(id(my, 'select * from users where id=42'));
    expect(id(pg, 'SELECT * FROM "users" WHERE id = 1')).toBe(id(pg, 'SELECT * FROM users WHERE id = 2'));
    expect(id(pg, 'SELECT * FROM "Users" WHERE id = 1')).not.toBe(id(pg, 'SELECT * FROM users WHERE id = 2'));
    expect(id(pg, 'SELECT * FROM "my table" WHERE id = 1')).not.toBe(id(pg, 'SELECT * FROM my_table WHERE id = 2'));
    expect(id(my, 'SELECT `a b` FROM t')).not.toBe(id(my, 'SELECT a FROM t'));
  });
});

describe('what fuzzing the round trip found', () => {
  const pg = new Normalizer({ dialect: 'postgres', analyze: false });
  const my = new Normalizer({ dialect: 'mysql', analyze: false });

  it('drops a trailing semicolon that a comment follows: one template with the plain statement', () => {
    expect(pg.normalize('SELECT 1; -- app=shop').template.id).toBe(pg.normalize('SELECT 2').template.id);
    expect(my.normalize('SELECT 1; # note').template.id).toBe(my.normalize('SELECT 2;').template.id);
    expect(pg.normalize(';\u0000').template.text).toBe(pg.normalize(';').template.text);
  });

  it('keeps a placeholder apart from the word or value written against it', () => {
    expect(pg.normalize("SELECT 'abc'17").sql).toBe('SELECT $1 $2');
    expect(my.normalize("SELECT 'x'a FROM t").sql).toBe('SELECT ? a FROM t');
    expect(pg.normalize("SELECT days'x'").template.text).toBe('SELECT days $1');
  });

  it.each([
    ['postgres', "SELECT 'abc'17"],
    ['postgres', 'SELECT é$1t FROM t WHERE a = 5'],
    ['postgres', 'SELECT 1 FROM `t` WHERE a = 2'],
    ['mysql', "SELECT 'SELECT 'a ' 'b FROM t"],
    ['postgres', "SELECT X'DO' DO $X'00' FROM t"],
  ] as const)('%s: %s renders back to its own template', (dialect, sql) => {
    expect(templateRoundTripProblem(dialect === 'postgres' ? pg : my, sql)).toBeUndefined();
  });
});
