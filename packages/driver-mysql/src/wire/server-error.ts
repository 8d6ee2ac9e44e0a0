import { PayloadReader } from './packet-codec';

/** An ERR packet's content. */
export interface ServerError {
  readonly errno: number;
  /** The SQLSTATE; `HY000` when the packet has none (errors sent before the handshake). */
  readonly sqlState: string;
  readonly message: string;
}

/** Reads an ERR packet (its first byte, 0xff, included). */
export function readServerError(buffer: Buffer, start: number, end: number): ServerError {
  const r = new PayloadReader(buffer, start + 1, end);
  const errno = r.u16();
  let sqlState = 'HY000';
  if (r.remaining >= 6 && buffer[r.at] === 0x23 /* # */) {
    sqlState = buffer.toString('latin1', r.at + 1, r.at + 6);
    r.skip(6);
  }
  return { errno, sqlState, message: buffer.toString('utf8', r.at, end) };
}
