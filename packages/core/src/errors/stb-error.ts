const STB_ERROR_BRAND = Symbol.for('@sqltrace/core/StbError');

/**
 * Stable machine-readable error codes. A code never changes meaning once published; callers
 * (and `--json` output) switch on it instead of parsing messages.
 */
export type StbErrorCode =
  | 'E_INPUT' // malformed input at a known location (log line, trace line)
  | 'E_FORMAT' // input in a format we cannot read or detect
  | 'E_IO' // file system or stream failure: missing file, directory, truncated archive
  | 'E_USAGE' // a bad option or argument combination
  | 'E_MODEL' // a model file we cannot read
  | 'E_DRIVER' // a database driver failure
  | 'E_STORE' // the repository or blob store failed or holds a schema this version cannot use
  | 'E_NOT_FOUND' // a record or blob that does not exist
  | 'E_INTERNAL'; // a bug: please report it

export interface StbErrorOptions {
  readonly cause?: unknown;
  /** What the user can do about it, printed after the message. */
  readonly hint?: string;
}

/**
 * The base error of every package. `code` is stable; `cause` keeps the original error.
 * Use {@link isStbError} rather than `instanceof`: ESM and CJS builds may load two copies.
 */
export class StbError extends Error {
  readonly code: StbErrorCode;
  readonly hint: string | undefined;
  readonly [STB_ERROR_BRAND] = true;

  constructor(code: StbErrorCode, message: string, options: StbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StbError';
    this.code = code;
    this.hint = options.hint;
  }

  /** One line for a person: the message, then the hint. */
  toUserMessage(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

export function isStbError(value: unknown): value is StbError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STB_ERROR_BRAND] === true;
}
