import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator, type SchemaGenerator } from 'ts-json-schema-generator';
import type { Format } from './formats';

const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..', '..');

/** Where a format's schema is published: packages/<package>/schemas/<file>. */
export function schemaPath(format: Format): string {
  return join(ROOT, 'packages', format.package, 'schemas', format.file);
}

let generator: SchemaGenerator | undefined;

/** The JSON Schema (draft-07) of a format, from its TypeScript type; objects closed unless the type has an index signature. */
export function generateSchema(format: Format): Record<string, unknown> {
  // One generator (one TypeScript program, ~2 s to build) for every format.
  generator ??= createGenerator({
    path: join(ROOT, 'tools/schemas/src/formats.ts'),
    tsconfig: join(ROOT, 'tsconfig.base.json'),
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    sortProps: true,
  });
  const schema = generator.createSchema(format.type) as Record<string, unknown>;
  return { $schema: schema.$schema, title: format.title, ...schema };
}

/** As written to disk: two-space JSON and a final newline. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
