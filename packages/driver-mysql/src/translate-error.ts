import { DriverError } from '@sqltrace/core';

/** Client errors after which the connection is gone (server-side kills report one of these). */
const CONNECTION_LOST = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
]);
/** Server errors that end the connection: killed (MariaDB 1927, MySQL 1317 as ER_QUERY_INTERRUPTED is not), gone (2006), lost (2013), shutdown (1053). */
const LOST_ERRNOS = new Set([1927, 2006, 2013, 1053]);

/** A mysql2 or wire-client error as a DriverError: SQLSTATE (or the client's code), errno, and whether the connection is gone. */
export function translate(error: unknown, context: string): DriverError {
  const e = error as { code?: string; errno?: number; sqlState?: string; message?: string; fatal?: boolean };
  const code = e.sqlState !== undefined && e.sqlState !== 'HY000' ? e.sqlState : (e.code ?? 'UNKNOWN');
  return new DriverError(`${context}: ${e.message ?? String(error)}`, {
    code,
    ...(e.errno !== undefined ? { errno: e.errno } : {}),
    connectionLost: e.fatal === true || CONNECTION_LOST.has(e.code ?? '') || LOST_ERRNOS.has(e.errno ?? 0),
    cause: error,
  });
}
