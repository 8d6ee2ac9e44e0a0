import { DriverError, isDriverError, redactSecrets, type ExecuteResult } from '@sqltrace/core';
import { fromWire, toWire, type WireValue } from './values';

/** driver.proto's Result and Error, as proto-loader gives them. */
export interface WireResult {
  readonly rowCount?: number;
  readonly hasRowCount?: boolean;
  readonly columns?: readonly string[];
  readonly rows?: readonly { readonly values?: readonly WireValue[] }[];
  readonly hasRows?: boolean;
}

export interface WireError {
  readonly message?: string;
  readonly code?: string;
  readonly errno?: number;
  readonly hasErrno?: boolean;
  readonly connectionLost?: boolean;
}

export function resultToWire(result: ExecuteResult, discardRows: boolean): WireResult {
  const rows = result.rows;
  const columns = rows !== undefined && rows.length > 0 ? Object.keys(rows[0]!) : [];
  return {
    ...(result.rowCount !== undefined ? { rowCount: result.rowCount, hasRowCount: true } : {}),
    hasRows: rows !== undefined,
    columns,
    rows: discardRows || rows === undefined ? [] : rows.map((row) => ({ values: columns.map((c) => toWire(row[c])) })),
  };
}

export function resultFromWire(wire: WireResult): ExecuteResult {
  const columns = wire.columns ?? [];
  const rows = wire.hasRows === true ? (wire.rows ?? []).map((row) => Object.fromEntries(columns.map((c, i) => [c, fromWire(row.values?.[i])]))) : undefined;
  return { ...(wire.hasRowCount === true ? { rowCount: wire.rowCount ?? 0 } : {}), ...(rows !== undefined ? { rows } : {}) };
}

export function errorToWire(error: unknown): WireError {
  if (isDriverError(error))
    return {
      message: error.message,
      code: error.sqlState,
      ...(error.errno !== undefined ? { errno: error.errno, hasErrno: true } : {}),
      connectionLost: error.connectionLost,
    };
  return { message: error instanceof Error ? error.message : String(error), code: 'internal', connectionLost: false };
}

export function errorFromWire(wire: WireError): DriverError {
  // (A plugin's message may quote its URL: passwords never pass.)
  return new DriverError(redactSecrets(wire.message ?? 'driver plugin error'), {
    code: wire.code || 'internal',
    ...(wire.hasErrno === true ? { errno: wire.errno ?? 0 } : {}),
    connectionLost: wire.connectionLost === true,
  });
}
