import type { ParamValue } from '@sqltrace/core';

/** driver.proto's Value, as proto-loader gives it (`kind` names the field that is set). */
export interface WireValue {
  readonly kind?: 'null' | 'number' | 'text' | 'boolean' | 'bytes';
  readonly null?: boolean;
  readonly number?: number;
  readonly text?: string;
  readonly boolean?: boolean;
  readonly bytes?: Buffer;
}

/** A bound parameter on the wire. */
export function toWire(value: unknown): WireValue {
  if (value === null || value === undefined) return { null: true };
  if (typeof value === 'number') return { number: value };
  if (typeof value === 'boolean') return { boolean: value };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'bigint') return { text: value.toString() };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
  if (value instanceof Date) return { text: value.toISOString() };
  return { text: JSON.stringify(value) };
}

/** A value read off the wire: a parameter (ParamValue) or a column (bytes stay a Buffer). */
export function fromWire(value: WireValue | undefined): ParamValue | Buffer {
  switch (value?.kind) {
    case 'number':
      return value.number ?? 0;
    case 'text':
      return value.text ?? '';
    case 'boolean':
      return value.boolean ?? false;
    case 'bytes':
      return value.bytes ?? Buffer.alloc(0);
    default:
      return null;
  }
}
