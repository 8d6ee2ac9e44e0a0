import { formatLocation, type InputLocation } from './input-location';
import { StbError, type StbErrorCode, type StbErrorOptions } from './stb-error';

/** Bad input at a known place. The message starts with `file:line:column`. */
export class InputError extends StbError {
  readonly location: InputLocation;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(location: InputLocation, reason: string, options: StbErrorOptions & { code?: StbErrorCode } = {}) {
    super(options.code ?? 'E_INPUT', `${formatLocation(location)}: ${reason}`, options);
    this.name = 'InputError';
    this.location = Object.freeze({ ...location });
    this.reason = reason;
  }
}
