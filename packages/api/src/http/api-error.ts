import { isStbError } from '@sqltrace/core';

/** An error a route answers with a status and the one JSON shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The status and body of any error a route throws: ours, the library's (by code), Fastify's (validation, body size), else 500. */
export function errorReply(error: unknown): { status: number; body: { error: { code: string; message: string; hint?: string } } } {
  if (error instanceof ApiError)
    return { status: error.status, body: { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } } };
  if (isStbError(error)) {
    const status =
      { E_NOT_FOUND: 404, E_USAGE: 400, E_INPUT: 400, E_FORMAT: 400, E_MODEL: 400 }[error.code as string] ?? (error.code === 'E_STORE' ? 503 : 500);
    return { status, body: { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } } };
  }
  const e = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (e.validation !== undefined) return { status: 400, body: { error: { code: 'E_USAGE', message: e.message ?? 'invalid request' } } };
  if (e.statusCode === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, body: { error: { code: 'E_TOO_LARGE', message: e.message ?? 'the body is larger than the server accepts' } } };
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, body: { error: { code: e.code ?? 'E_USAGE', message: e.message ?? 'bad request' } } };
  return { status: 500, body: { error: { code: 'E_INTERNAL', message: 'internal error: the server log has the details' } } };
}
