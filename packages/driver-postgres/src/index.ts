// @sqltrace/driver-postgres — PostgreSQL through pg.
import type { DriverFactory } from '@sqltrace/core';
import { PostgresDriver } from './postgres-driver';

export type { PostgresDriverConfig } from './postgres-driver';
export { PostgresDriver } from './postgres-driver';

/** The factory `stb bench --driver postgres` (or this package's name) loads. */
export const createDriver: DriverFactory = (config) => new PostgresDriver(config);
