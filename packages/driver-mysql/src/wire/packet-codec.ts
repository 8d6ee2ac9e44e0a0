/** The MySQL client/server protocol's framing and integer encodings (protocol 4.1, as MySQL 5.x+ and MariaDB speak it). */

/** A payload of this length continues in the next packet. */
export const MAX_PAYLOAD = 0xff_ff_ff;

/** Frames a command's payload into packets (3-byte length, sequence id), splitting past 16 MB. */
export function frame(payload: Buffer, sequence = 0): Buffer {
  if (payload.length < MAX_PAYLOAD) {
    const out = Buffer.allocUnsafe(4 + payload.length);
    out.writeUIntLE(payload.length, 0, 3);
    out[3] = sequence & 0xff;
    payload.copy(out, 4);
    return out;
  }
  const parts: Buffer[] = [];
  let at = 0;
  // A payload of exactly a multiple of MAX_PAYLOAD ends with an empty packet.
  for (;;) {
    const n = Math.min(MAX_PAYLOAD, payload.length - at);
    const header = Buffer.allocUnsafe(4);
    header.writeUIntLE(n, 0, 3);
    header[3] = sequence++ & 0xff;
    parts.push(header, payload.subarray(at, at + n));
    at += n;
    if (n < MAX_PAYLOAD) break;
  }
  return Buffer.concat(parts);
}

/** A one-byte command followed by a string (COM_QUERY, COM_STMT_PREPARE, COM_INIT_DB), framed, in one allocation. */
export function textCommand(command: number, text: string): Buffer {
  const length = 1 + Buffer.byteLength(text, 'utf8');
  if (length >= MAX_PAYLOAD) {
    const payload = Buffer.allocUnsafe(length);
    payload[0] = command;
    payload.write(text, 1, 'utf8');
    return frame(payload);
  }
  const out = Buffer.allocUnsafe(4 + length);
  out.writeUIntLE(length, 0, 3);
  out[3] = 0;
  out[4] = command;
  out.write(text, 5, 'utf8');
  return out;
}

/** Reads a payload's fields in order. */
export class PayloadReader {
  at: number;
  constructor(
    readonly buffer: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.at = start;
  }

  get remaining(): number {
    return this.end - this.at;
  }

  u8(): number {
    return this.buffer[this.at++]!;
  }

  u16(): number {
    const v = this.buffer.readUInt16LE(this.at);
    this.at += 2;
    return v;
  }

  u32(): number {
    const v = this.buffer.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  skip(n: number): void {
    this.at += n;
  }

  /** A length-encoded integer (null for the NULL marker 0xfb). Integers past 2^53 lose precision (counts never reach them). */
  lenenc(): number | null {
    const first = this.buffer[this.at++]!;
    if (first < 0xfb) return first;
    if (first === 0xfb) return null;
    if (first === 0xfc) return this.u16();
    if (first === 0xfd) {
      const v = this.buffer.readUIntLE(this.at, 3);
      this.at += 3;
      return v;
    }
    const v = Number(this.buffer.readBigUInt64LE(this.at));
    this.at += 8;
    return v;
  }

  /** A length-encoded string (null for NULL). */
  lenencString(): string | null {
    const n = this.lenenc();
    if (n === null) return null;
    const s = this.buffer.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }

  /** A NUL-terminated string (to the end when there is no NUL). */
  nulString(encoding: BufferEncoding = 'utf8'): string {
    let stop = this.buffer.indexOf(0, this.at);
    if (stop < 0 || stop > this.end) stop = this.end;
    const s = this.buffer.toString(encoding, this.at, stop);
    this.at = Math.min(this.end, stop + 1);
    return s;
  }

  bytes(n: number): Buffer {
    const b = this.buffer.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }

  rest(): Buffer {
    const b = this.buffer.subarray(this.at, this.end);
    this.at = this.end;
    return b;
  }
}

/** A length-encoded integer's bytes. */
export function lenencBytes(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n]);
  if (n < 0x1_00_00) {
    const b = Buffer.allocUnsafe(3);
    b[0] = 0xfc;
    b.writeUInt16LE(n, 1);
    return b;
  }
  if (n < 0x1_00_00_00) {
    const b = Buffer.allocUnsafe(4);
    b[0] = 0xfd;
    b.writeUIntLE(n, 1, 3);
    return b;
  }
  const b = Buffer.allocUnsafe(9);
  b[0] = 0xfe;
  b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}
