import type { ParamValue } from '@sqltrace/core';

/** A parameter as the server receives it: as text, as it was logged (the server infers its type), or NULL. */
export function parameterText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Execute (unnamed portal, all rows) then Sync: the same bytes after every Bind. */
const EXECUTE_SYNC = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0x53, 0, 0, 0, 4]);

/**
 * The messages that run a statement already prepared on the connection, in one buffer: Bind (the
 * unnamed portal, every parameter as text — as it was logged — or NULL, results as text), Execute, Sync — what
 * libpq's PQexecPrepared sends. No Describe: the caller knows the result's columns from the first
 * execution. One buffer means one write, where pg's serializer makes one buffer per message and
 * the socket gathers them.
 */
export function executePreparedMessage(statement: string, params: readonly ParamValue[]): Buffer {
  const nameBytes = Buffer.byteLength(statement);
  let length = 4 + 1 + nameBytes + 1 + 2 + 2 + 2;
  const values = new Array<string | null>(params.length);
  const sizes = new Array<number>(params.length);
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const v = (values[i] = parameterText(p));
    sizes[i] = v === null ? -1 : Buffer.byteLength(v);
    length += 4 + Math.max(0, sizes[i]!);
  }
  const out = Buffer.allocUnsafe(1 + length + EXECUTE_SYNC.length);
  let o = 0;
  out[o++] = 0x42; // 'B'
  out.writeInt32BE(length, o);
  o += 4;
  out[o++] = 0; // unnamed portal
  o += out.write(statement, o);
  out[o++] = 0;
  out.writeInt16BE(0, o); // every parameter in text format
  o += 2;
  out.writeInt16BE(values.length, o);
  o += 2;
  for (let i = 0; i < values.length; i++) {
    out.writeInt32BE(sizes[i]!, o);
    o += 4;
    if (sizes[i]! > 0) o += out.write(values[i]!, o);
  }
  out.writeInt16BE(0, o); // every result column in text format
  o += 2;
  EXECUTE_SYNC.copy(out, o);
  return out;
}
