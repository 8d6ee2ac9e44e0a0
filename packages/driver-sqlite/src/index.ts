// @sqltrace/driver-sqlite — SQLite (better-sqlite3), the embedded default target.
import type { DriverFactory } from '@sqltrace/core';
import { SqliteDriver } from './sqlite-driver';

export type { SqliteDriverConfig } from './sqlite-driver';
export { SqliteDriver } from './sqlite-driver';
export { toSqlitePlaceholders } from './placeholders';
export { rewritePostgres } from './postgres-compat';

/** The factory `stb bench --driver sqlite` (or this package's name) loads. */
export const createDriver: DriverFactory = (config) => new SqliteDriver(config);
