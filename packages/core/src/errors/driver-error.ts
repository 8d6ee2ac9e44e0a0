import { StbError } from './stb-error';

export interface DriverErrorDetails {
  /** SQLSTATE (PostgreSQL, MySQL) or the engine's code (`SQLITE_CONSTRAINT_UNIQUE`, `ECONNREFUSED`). */
  readonly code: string;
  /** The engine's numeric error, when it has one (MySQL errno). */
  readonly errno?: number;
  /** The connection is gone: the session must be reopened before it runs anything else. */
  readonly connectionLost?: boolean;
  readonly cause?: unknown;
}

/**
 * A statement or connection failure from a database, with the engine's own code kept: SQLSTATE
 * for PostgreSQL and MySQL, the result code for SQLite. `errorClass` groups codes for reports
 * (the SQLSTATE class, `23` integrity, `40` rollback, `57` operator intervention…).
 */
export class DriverError extends StbError {
  readonly sqlState: string;
  readonly errno?: number;
  readonly connectionLost: boolean;

  constructor(message: string, details: DriverErrorDetails) {
    super('E_DRIVER', message, { cause: details.cause });
    this.name = 'DriverError';
    this.sqlState = details.code;
    this.errno = details.errno;
    this.connectionLost = details.connectionLost ?? false;
  }

  /** The SQLSTATE class (two characters) or, for non-SQLSTATE codes, the code itself. */
  get errorClass(): string {
    return /^[0-9A-Z]{5}$/.test(this.sqlState) ? this.sqlState.slice(0, 2) : this.sqlState;
  }
}

export function isDriverError(error: unknown): error is DriverError {
  return (
    error instanceof DriverError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'DriverError' &&
      typeof (error as { sqlState?: unknown }).sqlState === 'string')
  );
}
