import { readFileSync, readdirSync } from 'node:fs';
import { corpus, describeCorpora, expectAccounted, parseAll } from '../helpers';

describeCorpora('MySQL logs (percona-go-mysql goldens, Percona Toolkit samples)', () => {
  it('go-mysql golden aggregates: the same query count and the same grouping into classes', async () => {
    const dir = corpus('percona-go-mysql');
    let compared = 0;
    for (const golden of readdirSync(`${dir}/testdata`)) {
      // slow025 is sampled (Log_slow_rate_limit: 1000): go-mysql scales its counts by the sampling
      // rate; a trace keeps the statements that were logged.
      if (golden.includes('no-examples') || golden === 'slow025.golden') continue;
      const reference = JSON.parse(readFileSync(`${dir}/testdata/${golden}`, 'utf8'));
      const { events, summary } = await parseAll(`${dir}/slow-logs/${golden.replace('.golden', '.log')}`);
      expectAccounted(summary);
      expect(summary.format).toBe('mysql-slow');
      expect(events).toHaveLength(reference.Global.TotalQueries);
      // Classes are keyed by fingerprint, user, host and db: merge by fingerprint, then compare the
      // multiset of class sizes with that of our templates.
      const byFingerprint = new Map<string, number>();
      for (const c of Object.values<{ Fingerprint: string; TotalQueries: number }>(reference.Class)) {
        byFingerprint.set(c.Fingerprint, (byFingerprint.get(c.Fingerprint) ?? 0) + c.TotalQueries);
      }
      const byTemplate = new Map<string, number>();
      for (const e of events) byTemplate.set(e.templateId!, (byTemplate.get(e.templateId!) ?? 0) + 1);
      const sizes = (m: Map<string, number>) => [...m.values()].sort((a, b) => a - b);
      expect({ golden, sizes: sizes(byTemplate) }).toEqual({ golden, sizes: sizes(byFingerprint) });
      compared++;
    }
    expect(compared).toBe(9);
  });

  it('slow001: two statements with their Query_time, database from `use`, start = end − Query_time', async () => {
    const { events } = await parseAll(corpus('percona-toolkit', 'slowlogs', 'slow001.txt'));
    expect(events.map((e) => [e.sql, e.durationUs, e.database, e.user])).toEqual([
      ['select sleep(?) from n', 2_000_000, 'test', 'root'],
      ['select sleep(?) from test.n', 2_000_000, 'sakila', 'root'],
    ]);
    expect(events[0]!.ts).toBe(Date.UTC(2007, 9, 15, 21, 43, 52) * 1000 - 2_000_000);
  });

  it('every Percona slow log: lines accounted for, administrator commands reported, never a crash', async () => {
    const dir = corpus('percona-toolkit', 'slowlogs');
    let events = 0;
    for (const file of readdirSync(dir)) {
      if (file === 'empty') continue;
      const result = await parseAll(`${dir}/${file}`, { format: 'mysql-slow' }).catch((e: Error) => e);
      if (result instanceof Error) throw new Error(`${file}: ${result.message}`);
      expectAccounted(result.summary);
      events += result.events.length;
    }
    expect(events).toBeGreaterThan(200);
    const admin = await parseAll(`${dir}/slow-pt-243.txt`);
    expect(admin.summary.skipped.map((r) => r.reason)).toContain('administrator command (not a statement)');
  });

  it('general logs: 5.1 and 5.7 formats, multi-line queries, sessions by thread id, database from Connect/Init DB', async () => {
    const old = await parseAll(corpus('percona-toolkit', 'genlogs', 'genlog001.txt'));
    expectAccounted(old.summary);
    expect(old.summary.format).toBe('mysql-general');
    expect(old.events.map((e) => [e.session, e.database, e.sql])).toEqual([
      ['42', 'db1', 'SELECT foo FROM tbl WHERE col=? ORDER BY col'],
      ['11', 'my_webstats', 'SELECT DISTINCT col FROM tbl WHERE foo=?'],
    ]);
    const modern = await parseAll(corpus('percona-toolkit', 'genlogs', 'genlog005.txt'));
    expectAccounted(modern.summary);
    expect(modern.events).toHaveLength(
      readFileSync(corpus('percona-toolkit', 'genlogs', 'genlog005.txt'), 'utf8')
        .split('\n')
        .filter((l) => / Query\t/.test(l)).length,
    );
    expect(new Date(modern.events[0]!.ts / 1000).toISOString()).toBe('2016-06-07T19:07:02.558Z');
    const offset = await parseAll(corpus('percona-toolkit', 'genlogs', 'pt-1573-general-log-system.log'));
    // 2018-09-07T18:45:40.098511+08:00 is 10:45:40 UTC.
    expect(new Date(offset.events[0]!.ts / 1000).toISOString()).toBe('2018-09-07T10:45:40.098Z');
    for (const name of ['genlog002.txt', 'genlog003.txt', 'genlog004.txt'])
      expectAccounted((await parseAll(corpus('percona-toolkit', 'genlogs', name))).summary);
  });
});
