import { StbError } from '@sqltrace/core';

/**
 * The error to report for one thrown while a model's data was read into samplers: a RangeError
 * (a check that failed), a TypeError (a field of the wrong shape) or a SyntaxError (an embedded
 * JSON text cut) means a damaged or hand-edited model file — a clear E_MODEL error, not a crash
 * (found by fuzzing the model loader). Anything else passes through.
 */
export function asModelError(error: unknown): unknown {
  if (error instanceof RangeError || error instanceof TypeError || error instanceof SyntaxError) {
    return new StbError('E_MODEL', `the model is damaged (${error.message})`, { hint: 'Retrain it with `stb train`', cause: error });
  }
  return error;
}
