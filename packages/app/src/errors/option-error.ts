import { StbError } from '@sqltrace/core';

/**
 * A usage error about one option of a service request, named by its field (`threads`), so that
 * each front door names it as its user wrote it: the CLI as a flag (`--threads`), the REST API as
 * a JSON property. `named(label)` gives the error with that label.
 */
export class OptionError extends StbError {
  readonly field: string;
  readonly #text: (name: string) => string;

  constructor(field: string, text: (name: string) => string, hint?: string) {
    super('E_USAGE', text(field), hint !== undefined ? { hint } : {});
    this.field = field;
    this.#text = text;
  }

  /** The same error naming the option `label` (the flag or property the caller knows it by). */
  named(label: string): StbError {
    return new StbError('E_USAGE', this.#text(label), this.hint !== undefined ? { hint: this.hint, cause: this } : { cause: this });
  }
}
