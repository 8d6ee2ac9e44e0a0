import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Normalizer, analyzeStatement, kindOfFirstWord } from '@sqltrace/parser';
import { FIXTURES, corpus, describeCorpora, expectAccounted, parseAll } from '../helpers';

describe('pgreplay test logs (stderr %m|%u|%d|%c| and csvlog of the same workload)', () => {
  it.each(['errlog', 'csvlog'])('%s: statements, extended-protocol executions, errors and parameters', async (name) => {
    const { events, summary } = await parseAll(join(FIXTURES, name));
    expectAccounted(summary);
    expect(summary.format).toBe(name === 'errlog' ? 'pg-stderr' : 'pg-csv');
    // pgreplay: 25 statements = 19 simple + 4 parametrized (unnamed) + 2 named executions. Its 19
    // simple ones count the two `ERROR … STATEMENT:` echoes of statements already logged; we mark
    // those statements failed instead of counting them twice.
    expect(summary.extendedEvents).toBe(4 + 2);
    expect(events).toHaveLength(25 - 2);
    expect(summary.errors).toBe(2);
    expect(events.filter((e) => e.error !== undefined).map((e) => e.sql)).toEqual([
      'INSERT INTO runtest (id, c, t, b) VALUES ($1, $2, $3, $4)',
      'SELECT pg_sleep($1)',
    ]);
    // One COPY statement (pgreplay ignores it; we keep it, kind copy).
    expect(events.filter((e) => /^COPY /.test(e.sql))).toHaveLength(1);
    // Parameters with quotes, a newline, a tab, NULL and an empty string come through intact.
    const params = events.flatMap((e) => e.params ?? []);
    expect(params).toEqual(expect.arrayContaining(['ein \'€"', 'Zeile\nzwei', 'mit\tTabulator', null, '']));
    // The recorded window: 10:59:52.241 … the last statement.
    expect(new Date(events[0]!.ts / 1000).toISOString()).toBe('2010-12-31T10:59:52.241Z');
    expect(new Set(events.map((e) => e.session))).toEqual(new Set(['4d1db7a8.4236', '4d1db7a8.4227', '4d1db7a9.4242']));
  });

  it('skips the memory-context dump (errlog line 60) as one block, reporting where it starts', async () => {
    const { summary } = await parseAll(join(FIXTURES, 'errlog'));
    const dump = summary.skipped.find((r) => r.reason.startsWith('not a log message'));
    expect(dump?.firstLines[0]).toBe(60);
  });
});

describe('pgreplay-go expected parse (stderr with parse/bind/execute durations)', () => {
  it('yields the expected statements and bound executions with their parameters', async () => {
    const expected = readFileSync(join(FIXTURES, 'single_user.json'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; item: Record<string, unknown> });
    const statements = expected.filter((e) => e.type === 'Statement' || e.type === 'BoundExecute');
    const { events, summary } = await parseAll(join(FIXTURES, 'single_user.log'), { normalize: false });
    expectAccounted(summary);
    // pgreplay-go keeps the space after a named statement's colon (` insert …`); we do not.
    expect(events.map((e) => e.sql)).toEqual(statements.map((s) => (s.item.query as string).trimStart()));
    expect(events.map((e) => e.params ?? [])).toEqual(statements.map((s) => s.item.parameters ?? []));
    events.forEach((e, k) => {
      const reference = Date.parse(statements[k]!.item.timestamp as string) * 1000;
      // pgreplay-go keeps the log line's time; we subtract the logged duration to get the start.
      expect(Math.abs(e.ts - reference)).toBeLessThanOrEqual((e.durationUs ?? 0) + 1000);
      expect(e.session).toBe(statements[k]!.item.session_id);
      expect(e.user).toBe('alice');
      expect(e.database).toBe('pgreplay_test');
    });
    // Parse and bind lines are steps of one execution, not executions.
    expect(summary.skipped.find((r) => r.reason.startsWith('parse/bind'))?.lines).toBeGreaterThan(0);
  });
});

describe('pgbadger fixtures', () => {
  it('stmt_type.log: statement types as pgbadger counts them, non-ASCII literals intact', async () => {
    const { events, summary } = await parseAll(join(FIXTURES, 'stmt_type.log'));
    expectAccounted(summary);
    expect(events).toHaveLength(12);
    const expected = Object.fromEntries(
      readFileSync(join(FIXTURES, 'stmt_type.out'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const m = /^(.+): (\d+) /.exec(l)!;
          return [m[1]!, Number(m[2])];
        }),
    );
    const normalizer = new Normalizer({ dialect: 'postgres' });
    const counts: Record<string, number> = {};
    for (const e of events) {
      const t = normalizer.normalize(e.sql, e.params).template;
      const type = /^with\b/i.test(t.text)
        ? 'CTE'
        : t.kind === 'copy'
          ? t.tables!.written.length > 0
            ? 'COPY FROM'
            : 'COPY TO'
          : t.kind === 'ddl' || t.kind === 'tcl' || t.kind === 'cursor'
            ? t.kind.toUpperCase()
            : t.kind.toUpperCase();
      counts[type] = (counts[type] ?? 0) + 1;
    }
    expect(counts).toEqual(expected);
    const values = events.flatMap((e) => e.params ?? []);
    expect(values).toContain('forêt & océan');
    // A cursor declaration cannot take bind parameters: it keeps its literals inline, intact.
    expect(events.some((e) => e.sql.includes("to_tsquery('камень & почка & !\" & ![ & !]')"))).toBe(true);
  });

  it('multiline_param.log: a bind value with a newline, continued on the next line', async () => {
    const { events, summary } = await parseAll(join(FIXTURES, 'multiline_param.log'), { normalize: false });
    expectAccounted(summary);
    // The log shows `'njchar` + newline + tab + `hello'`: PostgreSQL's stderr writer puts a tab after
    // every newline of a message, so the value itself is "njchar\nhello" (pgbadger keeps the tab).
    expect(events.flatMap((e) => e.params ?? [])).toEqual(['1234', 'njchar\nhello', 'aaaa', '1234', 'njvarchar\nbye', 'iiii']);
  });

  it("csvlog without duration: a statement does not inherit the previous one's duration", async () => {
    const { events } = await parseAll(join(FIXTURES, 'csv_statement_without_duration.log'));
    expect(events).toHaveLength(2);
    expect(events[0]!.durationUs).toBe(688_786_283);
    expect(events[0]!.sql).toBe('SELECT example_schema.slow_table.id FROM example_schema.slow_table');
    expect(events[1]!.durationUs).toBeUndefined();
    expect(events[1]!.application).toBe('example healthcheck');
  });
});

describeCorpora('pgbadger corpora (read in place)', () => {
  it('light.postgres.log.bz2: 629 queries in database postgres', async () => {
    const { events, summary } = await parseAll(corpus('pgbadger', 'light.postgres.log.bz2'));
    expectAccounted(summary);
    expect(summary.prefix).toBe('%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ');
    expect(events).toHaveLength(629);
    expect(new Set(events.map((e) => e.database))).toEqual(new Set(['postgres']));
    expect(new Set(events.map((e) => e.application))).toEqual(new Set(['pgbench']));
  });

  it('postgresql_param_range.log: execute <unnamed> with range and IN-list parameters, lines out of time order', async () => {
    const { events, summary } = await parseAll(corpus('pgbadger', 'postgresql_param_range.log'), { normalize: false });
    expectAccounted(summary);
    expect(events).toHaveLength(3);
    const params = events.flatMap((e) => e.params ?? []);
    expect(params).toEqual(expect.arrayContaining(['D17756227', 'J16274127', 'IDA001127', '[2023-02-24T00:00,2023-02-25T00:00]']));
  });

  it('pg-timezones.log (RDS-like %t:%h:%u@%d:[%p]:): the first and last statements at 17:00:00 and 17:46:39 UTC', async () => {
    const { events } = await parseAll(corpus('pgbadger', 'pg-timezones.log'));
    expect(events).toHaveLength(2);
    expect(events[0]!.ts + events[0]!.durationUs!).toBe(Date.UTC(2021, 4, 27, 17, 0, 0) * 1000);
    expect(events[1]!.ts + events[1]!.durationUs!).toBe(Date.UTC(2021, 4, 27, 17, 46, 39) * 1000);
    expect(events[0]!.user).toBe('user');
    expect(events[0]!.database).toBe('my_db');
  });

  it('rds.log.bz2: 114,604 lines accounted; the catalog query totals 2.667 ms', async () => {
    const { events, summary } = await parseAll(corpus('pgbadger', 'rds.log.bz2'));
    expectAccounted(summary);
    expect(summary.totalLines).toBe(114_604);
    expect(summary.prefix).toBe('%t:%r:%u@%d:[%p]:');
    // Empty `statement: ` lines are reported, not turned into events.
    expect(summary.skipped.find((r) => r.reason === 'empty statement')?.lines).toBeGreaterThan(0);
    const normalizer = new Normalizer({ dialect: 'postgres', analyze: false });
    const total = events
      .filter((e) => /^select datname from pg_database where not datistemplate and datallowconn$/i.test(normalizer.normalize(e.sql, e.params).template.text))
      .reduce((s, e) => s + (e.durationUs ?? 0), 0);
    expect(total).toBe(2667);
  });

  it('pg-syslog.1.bz2: syslog-wrapped lines with [N-M] continuations, 59,921 lines accounted', async () => {
    const { events, summary } = await parseAll(corpus('pgbadger', 'pg-syslog.1.bz2'), { year: 2019 });
    expectAccounted(summary);
    expect(summary.totalLines).toBe(59_921);
    expect(summary.formatReason).toMatch(/syslog/);
    expect(events.length).toBeGreaterThan(59_000);
    expect(new Date(events[0]!.ts / 1000).getUTCFullYear()).toBe(2019);
    // Continuation lines joined: no statement ends with a dangling line fragment marker.
    expect(events.some((e) => e.sql.includes('#011'))).toBe(false);
  });

  it('Cloud SQL and CloudNativePG JSON envelopes: every record accounted for', async () => {
    for (const name of ['cloudsql.log.gz', 'cnpg.log.gz']) {
      const { summary } = await parseAll(corpus('pgbadger', name));
      expectAccounted(summary);
      expect(summary.format).toBe('pg-json');
    }
    const cloud = await parseAll(corpus('pgbadger', 'cloudsql.log.gz'));
    expect(cloud.summary.totalLines).toBe(1343);
    const cnpg = await parseAll(corpus('pgbadger', 'cnpg.log.gz'));
    expect(cnpg.summary.totalLines).toBe(2022);
    expect(cnpg.events.length).toBeGreaterThan(0);
    expect(cnpg.events.every((e) => e.session.length > 0)).toBe(true);
  });

  it('pg_vacuums: the same 1,450 analyzes + 2,094 vacuums as stderr and as native jsonlog, none a statement', async () => {
    const { LogParser } = await import('@sqltrace/parser');
    for (const name of ['pg_vacuums.json.gz', 'pg_vacuums.log.gz']) {
      const parser = new LogParser(corpus('pgbadger', name));
      let n = 0;
      for await (const batch of parser.batches()) n += batch.length;
      expect(n).toBe(0);
      expectAccounted(parser.summary);
      if (name.endsWith('json.gz')) {
        expect(parser.summary.totalLines).toBe(1450 + 2094);
        expect(parser.summary.skipped).toEqual([expect.objectContaining({ reason: 'LOG message that is not a statement', lines: 1450 + 2094 })]);
      }
    }
  });

  it('every pgbadger fixture: lines accounted, nothing thrown', async () => {
    for (const name of ['anonymize.log', 'weeknumber.log', 'pg_rawcsv.log', 'begin_end.log', 'queryid.log.gz', 'tempfile_only.log.gz']) {
      const { summary } = await parseAll(corpus('pgbadger', name));
      expectAccounted(summary);
    }
    const weeks = await parseAll(corpus('pgbadger', 'weeknumber.log'), { normalize: false });
    // CSV-doubled quotes inside the statement: ""users"" → "users"
    expect(weeks.events[0]!.sql).toContain('"users"');
    expect(weeks.events[0]!.params).toEqual(['foo.bar']);
  });
});

describeCorpora('statement analysis (ANTLR grammar) on the PostgreSQL regression scripts', () => {
  it('gives every statement led by a DML, DDL or TCL keyword that kind, and parses nearly all completely', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = corpus('libpg_query', 'postgres_regress');
    const leading = new Set(['select', 'insert', 'update', 'delete', 'create', 'drop', 'alter', 'begin', 'commit', 'rollback', 'truncate', 'copy']);
    let statements = 0;
    let complete = 0;
    const wrong: string[] = [];
    for (const file of readdirSync(dir)) {
      const { events } = await parseAll(join(dir, file), { format: 'sql', dialect: 'postgres', normalize: false });
      for (const e of events) {
        const analysis = analyzeStatement(e.sql);
        statements++;
        if (analysis.complete) complete++;
        const word = (/^[A-Za-z]+/.exec(e.sql) ?? [''])[0].toLowerCase();
        if (leading.has(word) && analysis.kind !== kindOfFirstWord(word)) wrong.push(`${analysis.kind}: ${e.sql.slice(0, 80)}`);
      }
    }
    expect(statements).toBeGreaterThan(8000);
    expect(wrong).toEqual([]);
    expect(complete / statements).toBeGreaterThan(0.98);
  });
});
