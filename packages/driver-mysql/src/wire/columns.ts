import { PayloadReader } from './packet-codec';

/** Column types (enum_field_types) the decoders tell apart. */
export const TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  VAR_STRING: 253,
} as const;
const UNSIGNED = 0x20;

export interface Column {
  readonly name: string;
  readonly type: number;
  readonly unsigned: boolean;
}

/** Protocol::ColumnDefinition41: what a row decoder needs of it. */
export function readColumn(buffer: Buffer, start: number, end: number): Column {
  const r = new PayloadReader(buffer, start, end);
  for (let i = 0; i < 4; i++) r.skip(r.lenenc() ?? 0); // catalog, schema, table, org_table
  const name = r.lenencString() ?? '';
  r.skip(r.lenenc() ?? 0); // org_name
  r.skip(1 + 2 + 4); // length of fixed fields, character set, column length
  const type = r.u8();
  const flags = r.u16();
  return { name, type, unsigned: (flags & UNSIGNED) !== 0 };
}

/** A text-protocol row: integers and floats as numbers (integers past 2^53 as strings), the rest as strings. */
export function readTextRow(buffer: Buffer, start: number, end: number, columns: readonly Column[]): Record<string, unknown> {
  const r = new PayloadReader(buffer, start, end);
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    const text = r.lenencString();
    row[column.name] = text === null ? null : fromText(text, column.type);
  }
  return row;
}

function fromText(text: string, type: number): unknown {
  switch (type) {
    case TYPE.TINY:
    case TYPE.SHORT:
    case TYPE.LONG:
    case TYPE.INT24:
    case TYPE.YEAR:
    case TYPE.LONGLONG: {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case TYPE.FLOAT:
    case TYPE.DOUBLE:
      return Number(text);
    default:
      return text;
  }
}

/** A binary-protocol row (the reply to COM_STMT_EXECUTE), decoded as {@link readTextRow} decodes text. */
export function readBinaryRow(buffer: Buffer, start: number, end: number, columns: readonly Column[]): Record<string, unknown> {
  const r = new PayloadReader(buffer, start + 1, end);
  const bitmap = r.bytes((columns.length + 7 + 2) >> 3);
  const row: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const bit = i + 2;
    row[column.name] = (bitmap[bit >> 3]! & (1 << (bit & 7))) !== 0 ? null : binaryValue(r, column);
  });
  return row;
}

function binaryValue(r: PayloadReader, column: Column): unknown {
  const b = r.buffer;
  const at = r.at;
  switch (column.type) {
    case TYPE.TINY:
      r.skip(1);
      return column.unsigned ? b.readUInt8(at) : b.readInt8(at);
    case TYPE.SHORT:
    case TYPE.YEAR:
      r.skip(2);
      return column.unsigned ? b.readUInt16LE(at) : b.readInt16LE(at);
    case TYPE.LONG:
    case TYPE.INT24:
      r.skip(4);
      return column.unsigned ? b.readUInt32LE(at) : b.readInt32LE(at);
    case TYPE.LONGLONG: {
      r.skip(8);
      const v = column.unsigned ? b.readBigUInt64LE(at) : b.readBigInt64LE(at);
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v.toString();
    }
    case TYPE.FLOAT:
      r.skip(4);
      return b.readFloatLE(at);
    case TYPE.DOUBLE:
      r.skip(8);
      return b.readDoubleLE(at);
    case TYPE.DATE:
    case TYPE.DATETIME:
    case TYPE.TIMESTAMP:
      return dateTime(r);
    case TYPE.TIME:
      return time(r);
    default:
      return r.lenencString();
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dateTime(r: PayloadReader): string {
  const n = r.u8();
  if (n === 0) return '0000-00-00 00:00:00';
  const b = r.bytes(n);
  let s = `${pad(b.readUInt16LE(0), 4)}-${pad(b[2]!)}-${pad(b[3]!)}`;
  if (n >= 7) s += ` ${pad(b[4]!)}:${pad(b[5]!)}:${pad(b[6]!)}`;
  if (n >= 11) s += `.${pad(b.readUInt32LE(7), 6)}`;
  return s;
}

function time(r: PayloadReader): string {
  const n = r.u8();
  if (n === 0) return '00:00:00';
  const b = r.bytes(n);
  const hours = b.readUInt32LE(1) * 24 + b[5]!;
  let s = `${b[0] === 1 ? '-' : ''}${pad(hours)}:${pad(b[6]!)}:${pad(b[7]!)}`;
  if (n >= 12) s += `.${pad(b.readUInt32LE(8), 6)}`;
  return s;
}
