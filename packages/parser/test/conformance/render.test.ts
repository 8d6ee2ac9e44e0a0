import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileTemplatePlan, Normalizer, renderPlan, sqlLiteral, templateRoundTripProblem, type ParseLogOptions } from '@sqltrace/parser';
import { corpus, describeCorpora, parseAll } from '../helpers';

/**
 * The generators render synthetic statements from a template and values per placeholder. These
 * tests check the plan against the normalizer itself (templateRoundTripProblem): rendering a
 * template with a statement's own values must give back exactly the normalizer's executable form,
 * and the inline form must normalize to the same template.
 */
const roundTrip = templateRoundTripProblem;

describe('template plans', () => {
  const pg = new Normalizer({ dialect: 'postgres', analyze: false });
  const my = new Normalizer({ dialect: 'mysql', analyze: false });

  it('expands collapsed IN-lists, ARRAYs and multi-row VALUES to the lengths given', () => {
    const n = pg.normalize("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    const plan = compileTemplatePlan(n.template.text, 'postgres');
    const rows = renderPlan(
      plan,
      () => 2,
      (ref) => `${ref.role}${ref.slot}.${ref.row}`,
      'inline',
    );
    expect(rows.sql).toBe("INSERT INTO t (a, b) VALUES ('slot1.0', 'slot2.0'), ('row1.1', 'row2.1')");
    const list = pg.normalize('SELECT * FROM t WHERE id = ANY(ARRAY[1, 2]::int[]) AND k IN ($1::uuid, $2::uuid)', ['a', 'b']);
    const listPlan = compileTemplatePlan(list.template.text, 'postgres');
    const out = renderPlan(
      listPlan,
      (slot) => slot,
      (ref) => ref.element,
      'params',
    );
    expect(out.sql).toBe('SELECT * FROM t WHERE id = ANY(ARRAY[$1]::int[]) AND k IN ($2::uuid, $3::uuid)');
    expect(out.params).toEqual([0, 0, 1]);
  });

  it('keeps a GROUP BY literal that repeats a select-list literal one placeholder', () => {
    expect(roundTrip(pg, "SELECT date_trunc('day', ts), count(*) FROM t GROUP BY date_trunc('day', ts) LIMIT 5")).toBeUndefined();
  });

  it('numbers MySQL placeholders in text order, rows markers included', () => {
    const n = my.normalize("INSERT INTO t VALUES (1, 'a'), (2, 'b') ON DUPLICATE KEY UPDATE c = 7");
    const plan = compileTemplatePlan(n.template.text, 'mysql');
    expect(plan.slots).toBe(4);
    expect(roundTrip(my, "INSERT INTO t VALUES (1, 'a\\'s'), (2, 'b') ON DUPLICATE KEY UPDATE c = 7")).toBeUndefined();
  });

  it('writes dialect-correct literals', () => {
    expect(sqlLiteral("it's \\ here", 'postgres')).toBe("'it''s \\ here'");
    expect(sqlLiteral("it's \\ here", 'mysql')).toBe("'it''s \\\\ here'");
    expect(sqlLiteral('0x1F', 'mysql', 'bytes')).toBe('0x1F');
    expect(sqlLiteral('0x1F', 'mysql', 'string')).toBe("'0x1F'");
    expect(sqlLiteral('1.5e3', 'postgres', 'float')).toBe('1.5e3');
    expect(sqlLiteral('1.5e3', 'postgres', 'param')).toBe("'1.5e3'");
    expect(sqlLiteral(null, 'mysql')).toBe('NULL');
    expect(sqlLiteral(false, 'postgres')).toBe('FALSE');
  });
});

/** Round-trips every statement of the files `dir` holds that `accept` takes; returns how many and the failures. */
async function roundTripFiles(normalizer: Normalizer, dir: string, options: ParseLogOptions, accept: (file: string, sql: string) => boolean) {
  let checked = 0;
  const failures: string[] = [];
  for (const file of readdirSync(dir)) {
    if (!accept(file, '')) continue;
    const { events } = await parseAll(join(dir, file), { ...options, normalize: false });
    for (const e of events) {
      if (!accept(file, e.sql)) continue;
      checked++;
      const failure = roundTrip(normalizer, e.sql);
      if (failure !== undefined) failures.push(`${file}: ${failure}`);
    }
  }
  return { checked, failures: failures.slice(0, 10) };
}

describeCorpora('template plans on real statements', () => {
  it('render every PostgreSQL regression statement back to the normalizer’s executable form', async () => {
    // Known difference: `\'` only escapes a quote with standard_conforming_strings off, which
    // strings.sql switches to; the normalizer reads standard strings (the default since 9.1).
    const { checked, failures } = await roundTripFiles(
      new Normalizer({ dialect: 'postgres', analyze: false }),
      corpus('libpg_query', 'postgres_regress'),
      { format: 'sql', dialect: 'postgres' },
      (_, sql) => !sql.includes("\\'"),
    );
    expect(checked).toBeGreaterThan(8000);
    expect(failures).toEqual([]);
  });

  it('render the percona-toolkit MySQL slow-log statements back to the executable form', async () => {
    const { checked, failures } = await roundTripFiles(
      new Normalizer({ dialect: 'mysql', analyze: false }),
      corpus('percona-toolkit', 'slowlogs'),
      { format: 'mysql-slow' },
      (file) => /^slow0[0-3]\d\.txt$/.test(file),
    );
    expect(checked).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
