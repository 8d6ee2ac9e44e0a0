// @sqltrace/driver-mysql — MySQL and MariaDB through mysql2.
import type { DriverFactory } from '@sqltrace/core';
import { MysqlDriver } from './mysql-driver';

export type { MysqlDriverConfig } from './mysql-driver';
export { MysqlDriver } from './mysql-driver';

/** The factory `stb bench --driver mysql` (or this package's name) loads. */
export const createDriver: DriverFactory = (config) => new MysqlDriver(config);
