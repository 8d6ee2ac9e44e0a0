import type { ParamValue, TraceEvent, TraceHeader } from '../domain/trace-event';

/** Serializes one event as a JSON line (no newline), fields in the documented order. */
export function encodeTraceEvent(event: TraceEvent): string {
  // Hand-built (JSON.stringify only for strings and params): this runs once per event on the
  // parse and generate hot paths, and the fixed field order keeps files byte-reproducible.
  let out = '{"ts":' + numberJson(event.ts) + ',"session":' + JSON.stringify(event.session) + ',"sql":' + JSON.stringify(event.sql);
  if (event.params !== undefined) out += ',"params":' + JSON.stringify(event.params);
  if (event.durationUs !== undefined) out += ',"durationUs":' + numberJson(event.durationUs);
  if (event.user !== undefined) out += ',"user":' + JSON.stringify(event.user);
  if (event.database !== undefined) out += ',"database":' + JSON.stringify(event.database);
  if (event.application !== undefined) out += ',"application":' + JSON.stringify(event.application);
  if (event.error !== undefined) out += ',"error":' + JSON.stringify(event.error);
  if (event.prepared === true) out += ',"prepared":true';
  if (event.templateId !== undefined) out += ',"templateId":' + JSON.stringify(event.templateId);
  return out + '}';
}

function numberJson(n: number): string {
  // Microsecond timestamps (~1.7e15) are not small integers: V8 formats them through the slow
  // double path. Two small halves format fast.
  if (Number.isSafeInteger(n) && n >= 1e9) {
    const hi = Math.floor(n / 1e9);
    const lo = n - hi * 1e9;
    return String(hi) + String(lo).padStart(9, '0');
  }
  return Number.isFinite(n) ? String(n) : 'null';
}

export function encodeTraceHeader(header: TraceHeader): string {
  return JSON.stringify({ $trace: header });
}

/** Why a parsed JSON value is not a trace event, or undefined when it is one. */
export function traceEventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if (typeof v.ts !== 'number' || !Number.isFinite(v.ts)) return 'field "ts" must be a number (microseconds since the epoch)';
  if (typeof v.session !== 'string') return 'field "session" must be a string';
  if (typeof v.sql !== 'string') return 'field "sql" must be a string';
  if (v.params !== undefined && !isParamArray(v.params)) return 'field "params" must be an array of strings, numbers, booleans or nulls';
  if (v.durationUs !== undefined && (typeof v.durationUs !== 'number' || !Number.isFinite(v.durationUs))) return 'field "durationUs" must be a number';
  if (v.prepared !== undefined && typeof v.prepared !== 'boolean') return 'field "prepared" must be true or false';
  for (const key of ['user', 'database', 'application', 'error', 'templateId'] as const) {
    if (v[key] !== undefined && typeof v[key] !== 'string') return `field "${key}" must be a string`;
  }
  return undefined;
}

function isParamArray(value: unknown): value is ParamValue[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) {
    const t = typeof item;
    if (item !== null && t !== 'string' && t !== 'number' && t !== 'boolean') return false;
  }
  return true;
}
