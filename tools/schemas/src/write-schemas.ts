/** `npm run -w @sqltrace/schemas-tool schemas`: regenerates every format's schema into its package. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { FORMATS } from './formats';
import { ROOT, generateSchema, schemaPath, schemaText } from './generate-schema';

for (const format of FORMATS) {
  const path = schemaPath(format);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, schemaText(generateSchema(format)));
  console.log(`wrote ${relative(ROOT, path)} (${format.type})`);
}
