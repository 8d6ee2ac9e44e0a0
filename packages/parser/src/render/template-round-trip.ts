import type { Normalizer } from '../normalizer/normalizer';
import { compileTemplatePlan, expandPlan, renderPlan } from './template-plan';

/**
 * What the generators rely on, checked on one statement: its template rendered with the
 * statement's own values gives back exactly the normalizer's executable form, and the inline
 * form normalizes to the same template with the same values. Undefined when it holds, else what
 * differs. (The conformance tests run it over real corpora, the fuzz targets over mutations.)
 */
export function templateRoundTripProblem(normalizer: Normalizer, sql: string): string | undefined {
  const n = normalizer.normalize(sql);
  const plan = compileTemplatePlan(n.template.text, normalizer.dialect);
  const lengthOf = (slot: number) => Number(n.templateParams[slot - 1]);
  const refs = expandPlan(plan, lengthOf);
  if (refs.length !== n.params.length) return `expands to ${refs.length} placeholders, not ${n.params.length}: ${n.template.text}`;
  let at = 0;
  const rendered = renderPlan(plan, lengthOf, () => n.params[at++]!, 'params');
  if (rendered.sql !== n.sql) return `params form differs:\n  ${rendered.sql}\n  ${n.sql}`;
  if (JSON.stringify(rendered.params) !== JSON.stringify(n.params)) return `params differ for ${n.sql}`;
  // `$n` in a statement logged without its values (a function body's argument) has no value to inline.
  if (n.types.includes('param')) return undefined;
  at = 0;
  const inline = renderPlan(
    plan,
    lengthOf,
    () => n.params[at++]!,
    'inline',
    (slot) => n.template.slots[slot - 1]?.type,
  );
  const again = normalizer.normalize(inline.sql);
  if (again.template.id !== n.template.id) return `inline form changes the template:\n  ${inline.sql}\n  ${again.template.text}\n  ${n.template.text}`;
  // A number written as a string ('42'::float8) comes back as the number 42: the same SQL value.
  if (JSON.stringify(again.params.map(String)) !== JSON.stringify(n.params.map(String)))
    return `inline form changes the values of ${inline.sql}: ${JSON.stringify(again.params)} vs ${JSON.stringify(n.params)}`;
  return undefined;
}
