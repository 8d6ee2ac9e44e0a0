import type { ServerError } from './server-error';

/**
 * An error of the wire client, shaped as mysql2's (`code`, `errno`, `sqlState`, `fatal`) so that
 * one translation serves both clients.
 */
export class WireError extends Error {
  readonly code: string;
  readonly errno?: number;
  readonly sqlState?: string;
  /** The connection is gone. */
  readonly fatal: boolean;

  constructor(message: string, details: { code: string; errno?: number; sqlState?: string; fatal?: boolean; cause?: unknown }) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'WireError';
    this.code = details.code;
    if (details.errno !== undefined) this.errno = details.errno;
    if (details.sqlState !== undefined) this.sqlState = details.sqlState;
    this.fatal = details.fatal ?? false;
  }

  static fromServer(error: ServerError): WireError {
    return new WireError(error.message, { code: `ER_${error.errno}`, errno: error.errno, sqlState: error.sqlState });
  }
}

/** The server asks for something this client does not do (TLS, an auth plugin's full exchange): use mysql2. */
export class WireUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireUnsupported';
  }
}
