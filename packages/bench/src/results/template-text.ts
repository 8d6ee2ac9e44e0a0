import type { BenchResults } from './bench-results';

/**
 * Results that show each template by its text with placeholders instead of an executed
 * statement's literals (`ALTER USER bob WITH PASSWORD $1`, not the password): `templateText`
 * gives a statement's template text (the parser's normalizer).
 */
export function withTemplateText(results: BenchResults, templateText: (sql: string) => string): BenchResults {
  return { ...results, templates: results.templates.map((t) => ({ ...t, example: templateText(t.example) })) };
}
