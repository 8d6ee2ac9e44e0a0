import { StbError, type Driver, type DriverFactory } from '@sqltrace/core';
import { loadPluginDriver } from './load-plugin-driver';

/** The built-in targets by short name; anything else is taken as a package name. */
const BUILT_IN: Readonly<Record<string, string>> = {
  sqlite: '@sqltrace/driver-sqlite',
  postgres: '@sqltrace/driver-postgres',
  postgresql: '@sqltrace/driver-postgres',
  mysql: '@sqltrace/driver-mysql',
  mariadb: '@sqltrace/driver-mysql',
};

/**
 * A driver by name (`sqlite`, `postgres`, `mysql`), by package name — any installed package
 * whose module exports `createDriver` (a {@link DriverFactory}), how third parties add databases —
 * or `plugin:PATH[?ARG&…]`, a go-plugin driver plugin run out of process.
 */
export async function loadDriver(name: string, config: { readonly url: string; readonly [key: string]: unknown }): Promise<Driver> {
  if (name.startsWith('plugin:')) return loadPluginDriver(name.slice('plugin:'.length), config);
  const specifier = BUILT_IN[name] ?? name;
  let module: { createDriver?: DriverFactory; default?: { createDriver?: DriverFactory } };
  try {
    module = (await import(specifier)) as typeof module;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    throw new StbError(
      'E_USAGE',
      missing ? `no driver "${name}": package ${specifier} is not installed` : `driver "${name}" failed to load: ${(error as Error).message}`,
      {
        hint:
          BUILT_IN[name] !== undefined
            ? `npm install ${specifier} and its client library`
            : 'Use sqlite, postgres or mysql, or the name of an installed package that exports createDriver',
        cause: error,
      },
    );
  }
  const factory = module.createDriver ?? module.default?.createDriver;
  if (typeof factory !== 'function')
    throw new StbError('E_USAGE', `package ${specifier} does not export createDriver`, {
      hint: 'A driver package exports createDriver(config) returning a Driver',
    });
  return factory(config);
}
