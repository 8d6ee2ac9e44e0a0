import { readFileSync } from 'node:fs';
import { Normalizer, templateKey } from '@sqltrace/parser';
import { corpus, describeCorpora, parseAll } from '../helpers';
import { groupingMismatches, unexplained } from './grouping';

const LIMIT_FORMS = 'LIMIT n, m / LIMIT n OFFSET m / LIMIT n are different SQL: separate templates';

describeCorpora('Percona fingerprint conformance (GPL corpora, read in place)', () => {
  it('groups pt-query-digest fingerprint cases like QueryRewriter, apart from documented differences', () => {
    const all = JSON.parse(readFileSync(corpus('percona-toolkit', 'QueryRewriter-cases.json'), 'utf8')).cases as Array<Record<string, unknown>>;
    const cases = all
      .filter((c) => c.method === 'fingerprint' && typeof c.input === 'string' && c.rewriter_options === undefined)
      .map((c) => ({ input: c.input as string, group: c.expected as string }));
    expect(cases.length).toBeGreaterThan(30);
    const excused = new Map([
      ['select foo -- bar\n', 'a trailing -- comment is dropped (pt-query-digest keeps it: one of the bugs we fix)'],
      ['select * from foo limit 5, 10', LIMIT_FORMS],
      ['select * from foo limit 5 offset 10', LIMIT_FORMS],
    ]);
    expect(unexplained(groupingMismatches('mysql', cases), excused)).toEqual([]);
  });

  it('groups go-mysql fingerprint cases like go-mysql, apart from documented differences', () => {
    const all = JSON.parse(readFileSync(corpus('percona-go-mysql', 'fingerprint-cases.json'), 'utf8')).cases as Array<Record<string, string>>;
    // An input listed twice with different expectations depends on a go-mysql option: not comparable.
    const expectations = new Map<string, Set<string>>();
    for (const c of all) if (c.func === 'Fingerprint') (expectations.get(c.input!) ?? expectations.set(c.input!, new Set()).get(c.input!)!).add(c.expected!);
    const cases = all.filter((c) => c.func === 'Fingerprint' && expectations.get(c.input!)!.size === 1).map((c) => ({ input: c.input!, group: c.expected! }));
    expect(cases.length).toBeGreaterThan(70);
    const excused = new Map([
      ['INSERT INTO test (ID, Value ) VALUES (1 ,1)', 'white space never separates templates (go-mysql keeps "Value )")'],
      ['INSERT INTO test (id, value ) VALUES (1, 10) ON DUPLICATE KEY UPDATE value = VALUES(value ) + 5', 'white space never separates templates'],
      ['INSERT INTO t (ts) VALUES (NOW())', 'VALUES rows with function calls are not merged with rows of literals'],
    ]);
    // Better than go-mysql, as MariaDB's digest: quoting a plain identifier changes nothing for
    // the server, so `Value` and Value are one template.
    const mismatches = groupingMismatches('mysql', cases);
    const quotingOnly = mismatches.filter((m) => m.kind === 'merged' && m.a.replace(/`/g, '') === m.b.replace(/`/g, ''));
    expect(quotingOnly.length).toBeGreaterThan(0);
    expect(
      unexplained(
        mismatches.filter((m) => !quotingOnly.includes(m)),
        excused,
      ),
    ).toEqual([]);
  });

  it('matches the pt-fingerprint samples (slow-log snippets → fingerprint)', async () => {
    for (const name of ['query001', 'query002']) {
      const { events } = await parseAll(corpus('percona-toolkit', 'pt-fingerprint-samples', name), { format: 'mysql-slow' });
      const expected = readFileSync(corpus('percona-toolkit', 'pt-fingerprint-samples', `${name}.fingerprint`), 'utf8').trim();
      expect(events).toHaveLength(1);
      const template = new Normalizer({ dialect: 'mysql', analyze: false }).normalize(events[0]!.sql, events[0]!.params).template;
      // pt-fingerprint writes a collapsed list as `in(?+)` where we write `IN (? /*, ... */)`, and it
      // replaces digits inside names (tbl1 → tbl?), which we keep (partition names differ).
      const ours = templateKey(template.text)
        .replace('in(?/*,...*/)', 'in(?+)')
        .replace(/\b(tbl)\d+\b/g, '$1?');
      expect(ours).toBe(templateKey(expected).replace(/;$/, ''));
    }
  });
});
