/**
 * `stb-driver-plugin PACKAGE`: serves any driver package (one that exports createDriver) out of
 * process, as a go-plugin gRPC plugin: `stb bench --driver 'plugin:PATH/stb-driver-plugin?@sqltrace/driver-sqlite'`.
 */
import type { DriverFactory } from '@sqltrace/core';
import { servePlugin } from './serve-plugin';

const specifier = process.argv[2];
if (specifier === undefined || specifier === '') {
  process.stderr.write('usage: stb-driver-plugin PACKAGE (a driver package that exports createDriver, e.g. @sqltrace/driver-sqlite)\n');
  process.exit(2);
}
await servePlugin(async (config) => {
  const module = (await import(specifier)) as { createDriver?: DriverFactory; default?: { createDriver?: DriverFactory } };
  const create = module.createDriver ?? module.default?.createDriver;
  if (typeof create !== 'function') throw new Error(`${specifier} does not export createDriver`);
  return create(config);
});
