import type { ParamValue } from '@sqltrace/core';
import { frame, lenencBytes } from './packet-codec';
import { TYPE } from './columns';

const COM_STMT_EXECUTE = 0x17;

/** COM_STMT_EXECUTE of a prepared statement with its values (no cursor), framed. */
export function executePacket(statementId: number, params: readonly ParamValue[]): Buffer {
  const n = params.length;
  const head = Buffer.alloc(10);
  head[0] = COM_STMT_EXECUTE;
  head.writeUInt32LE(statementId, 1);
  head[5] = 0; // CURSOR_TYPE_NO_CURSOR
  head.writeUInt32LE(1, 6); // iteration count
  if (n === 0) return frame(head);
  const bitmap = Buffer.alloc((n + 7) >> 3);
  const types = Buffer.alloc(2 * n);
  const values: Buffer[] = [];
  params.forEach((value, i) => {
    if (value === null || value === undefined) {
      bitmap[i >> 3]! |= 1 << (i & 7);
      types[2 * i] = TYPE.NULL;
    } else if (typeof value === 'boolean') {
      types[2 * i] = TYPE.TINY;
      values.push(Buffer.from([value ? 1 : 0]));
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      types[2 * i] = TYPE.LONGLONG;
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64LE(BigInt(value));
      values.push(b);
    } else if (typeof value === 'number') {
      types[2 * i] = TYPE.DOUBLE;
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleLE(value);
      values.push(b);
    } else {
      types[2 * i] = TYPE.VAR_STRING;
      const text = Buffer.from(String(value), 'utf8');
      values.push(lenencBytes(text.length), text);
    }
  });
  return frame(Buffer.concat([head, bitmap, Buffer.from([1]), types, ...values]));
}
