import type { ParamValue } from '@sqltrace/core';
import { MAX_PAYLOAD, frame } from './packet-codec';
import { TYPE } from './columns';

const COM_STMT_EXECUTE = 0x17;
const TWO_32 = 2 ** 32;

/** The UTF-8 length of each text value, measured when the packet is sized and used when it is written (reused: the packet is built synchronously). */
const textBytes: number[] = [];

/** A length-encoded integer's size in bytes. */
const lenencSize = (n: number): number => (n < 0xfb ? 1 : n < 0x1_00_00 ? 3 : n < 0x1_00_00_00 ? 4 : 9);

/**
 * COM_STMT_EXECUTE of a prepared statement with its values (no cursor), framed — sized first and
 * written into one buffer, as it runs once per replayed statement.
 */
export function executePacket(statementId: number, params: readonly ParamValue[]): Buffer {
  const n = params.length;
  const bitmapBytes = (n + 7) >> 3;
  // Payload: command, id, flags, iteration count; then, with values, the NULL bitmap, "types follow", types, values.
  let size = 10;
  if (n > 0) {
    size += bitmapBytes + 1 + 2 * n;
    for (let i = 0; i < n; i++) {
      const value = params[i];
      if (value === null || value === undefined) continue;
      if (typeof value === 'boolean') size += 1;
      else if (typeof value === 'number') size += 8;
      else {
        const bytes = (textBytes[i] = Buffer.byteLength(String(value), 'utf8'));
        size += lenencSize(bytes) + bytes;
      }
    }
  }
  if (size >= MAX_PAYLOAD) return frame(payload(statementId, params, size, 0));
  return payload(statementId, params, size, 4);
}

/** Writes the payload at `at` (4: after a packet header written here too; 0: bare, to be framed). */
function payload(statementId: number, params: readonly ParamValue[], size: number, at: number): Buffer {
  const out = Buffer.allocUnsafe(at + size);
  if (at === 4) {
    out.writeUIntLE(size, 0, 3);
    out[3] = 0;
  }
  out[at] = COM_STMT_EXECUTE;
  out.writeUInt32LE(statementId, at + 1);
  out[at + 5] = 0; // CURSOR_TYPE_NO_CURSOR
  out.writeUInt32LE(1, at + 6); // iteration count
  const n = params.length;
  if (n === 0) return out;
  const bitmap = at + 10;
  const bitmapBytes = (n + 7) >> 3;
  out.fill(0, bitmap, bitmap + bitmapBytes);
  out[bitmap + bitmapBytes] = 1; // new-params-bound: the types follow
  const types = bitmap + bitmapBytes + 1;
  let p = types + 2 * n;
  for (let i = 0; i < n; i++) {
    const value = params[i];
    const t = types + 2 * i;
    out[t + 1] = 0; // signed
    if (value === null || value === undefined) {
      out[bitmap + (i >> 3)]! |= 1 << (i & 7);
      out[t] = TYPE.NULL;
    } else if (typeof value === 'boolean') {
      out[t] = TYPE.TINY;
      out[p++] = value ? 1 : 0;
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      out[t] = TYPE.LONGLONG;
      // Two's complement in two halves (no BigInt per value).
      const high = Math.floor(value / TWO_32);
      out.writeUInt32LE(value - high * TWO_32, p);
      out.writeInt32LE(high, p + 4);
      p += 8;
    } else if (typeof value === 'number') {
      out[t] = TYPE.DOUBLE;
      out.writeDoubleLE(value, p);
      p += 8;
    } else {
      out[t] = TYPE.VAR_STRING;
      const bytes = textBytes[i]!;
      p = writeLenenc(out, bytes, p);
      p += out.write(String(value), p, 'utf8');
    }
  }
  return out;
}

function writeLenenc(out: Buffer, n: number, at: number): number {
  if (n < 0xfb) {
    out[at] = n;
    return at + 1;
  }
  if (n < 0x1_00_00) {
    out[at] = 0xfc;
    out.writeUInt16LE(n, at + 1);
    return at + 3;
  }
  if (n < 0x1_00_00_00) {
    out[at] = 0xfd;
    out.writeUIntLE(n, at + 1, 3);
    return at + 4;
  }
  out[at] = 0xfe;
  out.writeUInt32LE(n % TWO_32, at + 1);
  out.writeUInt32LE(Math.floor(n / TWO_32), at + 5);
  return at + 9;
}
