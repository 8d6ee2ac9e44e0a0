import { connect as connectTcp, type Socket } from 'node:net';
import type { ParamValue } from '@sqltrace/core';
import { MAX_PAYLOAD, PayloadReader, frame, textCommand } from './packet-codec';
import { readColumn, readBinaryRow, readTextRow, type Column } from './columns';
import { executePacket } from './execute-packet';
import { SUPPORTED_PLUGINS, authResponse, handshakeResponse, readGreeting } from './handshake';
import { readServerError } from './server-error';
import { WireError, WireUnsupported } from './wire-error';

const COM_QUIT = 0x01;
const COM_QUERY = 0x03;
const COM_STMT_PREPARE = 0x16;
const COM_STMT_CLOSE = 0x19;
const SERVER_MORE_RESULTS_EXISTS = 0x0008;
/** Prepared statements kept open per connection (the server's max_prepared_stmt_count is shared by all). */
const STATEMENT_CACHE = 512;
/** Bytes read from the socket at a time, into one buffer per connection (no stream, no allocation per read). */
const READ_BUFFER = 64 * 1024;

export interface WireOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly connectTimeoutMs: number;
}

/** What a statement returned: rows (unless discarded) and the row count or rows affected. */
export interface WireResult {
  readonly rowCount: number;
  readonly rows?: Record<string, unknown>[];
}

export type WireCallback = (error: WireError | undefined, result?: WireResult) => void;

/** A command in flight: it reads its reply's packets until it says it is done. */
interface Command {
  readonly packet: Buffer;
  /** Handles one reply packet; true when the reply is complete. */
  read(buffer: Buffer, start: number, end: number): boolean;
  fail(error: WireError): void;
}

interface Statement {
  readonly id: number;
  readonly params: number;
}

/**
 * A lean MySQL/MariaDB connection for replay: COM_QUERY and COM_STMT_PREPARE/EXECUTE over one
 * socket, replies read in place, rows counted without being built when nobody reads them. It
 * speaks protocol 4.1 over plain TCP with mysql_native_password (and caching_sha2_password's fast
 * path); whatever else a server asks for (TLS, a full auth exchange) is a {@link WireUnsupported},
 * and the driver uses mysql2 instead.
 */
export class WireConnection {
  readonly #socket: Socket;
  readonly #queue: Command[] = [];
  readonly #statements = new Map<string, Statement>();
  #current: Command | undefined;
  /** A packet begun and not yet complete: its bytes so far, at the start of this buffer. */
  #pending: Buffer | undefined;
  #pendingLength = 0;
  #large: Buffer[] | undefined;
  #lost: WireError | undefined;
  #onLost: ((error: WireError) => void) | undefined;
  /** The last packet's sequence id (the handshake answers with the next). */
  #sequence = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.#lose(new WireError(`connection lost: ${error.message}`, { code: error.code ?? 'ECONNRESET', fatal: true, cause: error })),
    );
    socket.on('close', () => this.#lose(new WireError('connection lost: the server closed the connection', { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })));
  }

  /** Connects and authenticates. */
  static connect(options: WireOptions): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      // Replies are read into one reused buffer (net's `onread`): no Readable stream, no Buffer per
      // read. Nothing read keeps a view of it: values are decoded to strings and numbers, and a
      // partial packet is copied out.
      const holder: { connection?: WireConnection } = {};
      const socket = connectTcp({
        host: options.host,
        port: options.port,
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER),
          callback: (n: number, buffer: Uint8Array) => {
            holder.connection!.#receive(buffer as Buffer, n);
            return true;
          },
        },
      });
      const connection = (holder.connection = new WireConnection(socket));
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new WireError(`connect ETIMEDOUT: no answer from ${options.host}:${options.port} within ${options.connectTimeoutMs} ms`, {
            code: 'ETIMEDOUT',
            fatal: true,
          }),
        );
      }, options.connectTimeoutMs);
      connection.#current = connection.#handshake(options, (error) => {
        clearTimeout(timer);
        if (error === undefined) {
          resolve(connection);
          return;
        }
        socket.destroy();
        reject(error);
      });
    });
  }

  /** Called once when the connection is gone (killed, server down, socket error). */
  onLost(listener: (error: WireError) => void): void {
    this.#onLost = listener;
  }

  get lost(): WireError | undefined {
    return this.#lost;
  }

  /** A statement as text (values already in it). */
  query(sql: string, discard: boolean, done: WireCallback): void {
    this.#send(this.#result(textCommand(COM_QUERY, sql), discard, false, done));
  }

  /** A server-side prepared statement, prepared on first use per connection, executed with its values. */
  execute(sql: string, params: readonly ParamValue[], discard: boolean, done: WireCallback): void {
    const run = (statement: Statement): void => {
      if (statement.params !== params.length) {
        done(new WireError(`the statement has ${statement.params} placeholders and ${params.length} values were given`, { code: '07001', sqlState: '07001' }));
        return;
      }
      this.#send(this.#result(executePacket(statement.id, params), discard, true, done), true);
    };
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      run(cached);
      return;
    }
    this.#send(
      this.#prepare(sql, (error, statement) => {
        if (error !== undefined) done(error);
        else run(statement!);
      }),
    );
  }

  /** Says goodbye (COM_QUIT) and closes the socket. */
  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#lost !== undefined || this.#socket.destroyed) {
        resolve();
        return;
      }
      this.#socket.once('close', () => resolve());
      this.#socket.end(frame(Buffer.from([COM_QUIT])));
    });
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #send(command: Command, first = false): void {
    if (this.#lost !== undefined) {
      command.fail(this.#lost);
      return;
    }
    if (this.#current !== undefined) {
      if (first) this.#queue.unshift(command);
      else this.#queue.push(command);
      return;
    }
    this.#current = command;
    this.#socket.write(command.packet);
  }

  #receive(chunk: Buffer, read: number): void {
    let buffer = chunk;
    let length = read;
    if (this.#pendingLength > 0) {
      // The rest of a packet begun in an earlier read: appended in place (a buffer that doubles, so
      // a packet of many reads is copied O(n) times in all, not once per read).
      const pending = this.#reserve(this.#pendingLength + read);
      chunk.copy(pending, this.#pendingLength, 0, read);
      buffer = pending;
      length = this.#pendingLength + read;
      this.#pendingLength = 0;
    }
    let at = 0;
    while (at + 4 <= length) {
      const size = buffer[at]! | (buffer[at + 1]! << 8) | (buffer[at + 2]! << 16);
      if (at + 4 + size > length) break;
      this.#sequence = buffer[at + 3]!;
      const start = at + 4;
      at = start + size;
      if (size === MAX_PAYLOAD || this.#large !== undefined) {
        // A payload of 16 MB or more comes in several packets.
        (this.#large ??= []).push(Buffer.from(buffer.subarray(start, at)));
        if (size === MAX_PAYLOAD) continue;
        const whole = Buffer.concat(this.#large);
        this.#large = undefined;
        this.#dispatch(whole, 0, whole.length);
      } else {
        this.#dispatch(buffer, start, at);
      }
      if (this.#lost !== undefined) return;
    }
    if (at < length) {
      if (buffer === this.#pending) buffer.copyWithin(0, at, length);
      else buffer.copy(this.#reserve(length - at), 0, at, length);
      this.#pendingLength = length - at;
    } else if (this.#pending !== undefined && this.#pending.length > READ_BUFFER) {
      this.#pending = undefined; // a large packet's buffer is not kept
    }
  }

  /** The pending buffer, with room for `bytes` (its content kept). */
  #reserve(bytes: number): Buffer {
    const pending = this.#pending;
    if (pending !== undefined && pending.length >= bytes) return pending;
    const grown = Buffer.allocUnsafe(Math.max(bytes, (pending?.length ?? 0) * 2, READ_BUFFER));
    if (pending !== undefined) pending.copy(grown, 0, 0, this.#pendingLength);
    return (this.#pending = grown);
  }

  #dispatch(buffer: Buffer, start: number, end: number): void {
    const command = this.#current;
    if (command === undefined) {
      // Unasked: a server that kills the connection says why first.
      if (buffer[start] === 0xff) this.#lose(Object.assign(WireError.fromServer(readServerError(buffer, start, end)), { fatal: true }));
      return;
    }
    if (!command.read(buffer, start, end)) return;
    this.#current = this.#queue.shift();
    if (this.#current !== undefined) this.#socket.write(this.#current.packet);
  }

  #lose(error: WireError): void {
    if (this.#lost !== undefined) return;
    this.#lost = error;
    this.#socket.destroy();
    const failed = [this.#current, ...this.#queue.splice(0)];
    this.#current = undefined;
    for (const command of failed) command?.fail(error);
    this.#onLost?.(error);
  }

  #handshake(options: WireOptions, done: (error?: Error) => void): Command {
    let stage: 'greeting' | 'auth' | 'fast-auth' = 'greeting';
    let finished = false;
    const finish = (error?: Error): true => {
      if (!finished) {
        finished = true;
        done(error);
      }
      return true;
    };
    const reply = (payload: Buffer): void => {
      this.#socket.write(frame(payload, this.#sequence + 1));
    };
    return {
      packet: Buffer.alloc(0),
      read: (buffer, start, end) => {
        const first = buffer[start];
        if (first === 0xff) return finish(WireError.fromServer(readServerError(buffer, start, end)));
        if (stage === 'greeting') {
          const greeting = readGreeting(buffer, start, end);
          stage = 'auth';
          reply(handshakeResponse(greeting, options.user, options.password, options.database));
          return false;
        }
        if (first === 0x00) return finish();
        if (first === 0xfe) {
          // An auth switch: answer the plugin's challenge.
          const r = new PayloadReader(buffer, start + 1, end);
          const plugin = r.nulString('latin1');
          if (!SUPPORTED_PLUGINS.has(plugin)) return finish(new WireUnsupported(`the server asks for auth plugin ${plugin}`));
          const nonce = r.rest();
          reply(authResponse(plugin, options.password, nonce.subarray(0, nonce[nonce.length - 1] === 0 ? nonce.length - 1 : nonce.length)));
          return false;
        }
        if (first === 0x01 && end - start >= 2) {
          // caching_sha2_password: 3 = the fast path worked (an OK follows), 4 = a full exchange (TLS or RSA) is wanted.
          if (buffer[start + 1] === 0x03) {
            stage = 'fast-auth';
            return false;
          }
          return finish(new WireUnsupported("the server asks for caching_sha2_password's full authentication (TLS or RSA)"));
        }
        return finish(
          new WireError(`unexpected packet 0x${(first ?? 0).toString(16)} during authentication`, { code: 'PROTOCOL_UNEXPECTED_PACKET', fatal: true }),
        );
      },
      fail: (error) => finish(error),
    };
  }

  #prepare(sql: string, done: (error: WireError | undefined, statement?: Statement) => void): Command {
    let statement: Statement | undefined;
    // Parameter and column definitions to skip, each list followed by an EOF packet.
    let skip = 0;
    return {
      packet: textCommand(COM_STMT_PREPARE, sql),
      read: (buffer, start, end) => {
        if (statement === undefined) {
          if (buffer[start] === 0xff) {
            done(WireError.fromServer(readServerError(buffer, start, end)));
            return true;
          }
          const r = new PayloadReader(buffer, start + 1, end);
          const id = r.u32();
          const columns = r.u16();
          const params = r.u16();
          statement = { id, params };
          skip = (params > 0 ? params + 1 : 0) + (columns > 0 ? columns + 1 : 0);
        } else {
          skip--;
        }
        if (skip > 0) return false;
        this.#remember(sql, statement);
        done(undefined, statement);
        return true;
      },
      fail: (error) => done(error),
    };
  }

  #remember(sql: string, statement: Statement): void {
    this.#statements.set(sql, statement);
    if (this.#statements.size <= STATEMENT_CACHE) return;
    const [oldest, { id }] = this.#statements.entries().next().value as [string, Statement];
    this.#statements.delete(oldest);
    // COM_STMT_CLOSE has no reply: written between commands, it never interleaves with one.
    const close = Buffer.alloc(5);
    close[0] = COM_STMT_CLOSE;
    close.writeUInt32LE(id, 1);
    this.#socket.write(frame(close));
  }

  /** The reply to COM_QUERY or COM_STMT_EXECUTE: OK, ERR, or result sets (several for a CALL). */
  #result(packet: Buffer, discard: boolean, binary: boolean, done: WireCallback): Command {
    let stage: 'first' | 'columns' | 'column-eof' | 'rows' = 'first';
    let columnsLeft = 0;
    let columns: Column[] = [];
    let rows: Record<string, unknown>[] | undefined;
    let rowCount = 0;
    let kept: WireResult | undefined;
    const complete = (result: WireResult): boolean => {
      done(undefined, kept ?? result);
      return true;
    };
    return {
      packet,
      read: (buffer, start, end) => {
        const first = buffer[start]!;
        switch (stage) {
          case 'first': {
            if (first === 0xff) {
              done(WireError.fromServer(readServerError(buffer, start, end)));
              return true;
            }
            if (first === 0x00) {
              const r = new PayloadReader(buffer, start + 1, end);
              const affected = r.lenenc() ?? 0;
              r.lenenc(); // last insert id
              const status = r.u16();
              if (status & SERVER_MORE_RESULTS_EXISTS) {
                kept ??= { rowCount: affected };
                return false;
              }
              return complete({ rowCount: affected });
            }
            if (first === 0xfb) {
              // LOAD DATA LOCAL INFILE: this client sends no file (an empty packet), and the server says so.
              this.#socket.write(frame(Buffer.alloc(0), this.#sequence + 1));
              return false;
            }
            columnsLeft = new PayloadReader(buffer, start, end).lenenc() ?? 0;
            columns = [];
            rows = discard ? undefined : [];
            rowCount = 0;
            stage = 'columns';
            return false;
          }
          case 'columns':
            if (!discard) columns.push(readColumn(buffer, start, end));
            if (--columnsLeft === 0) stage = 'column-eof';
            return false;
          case 'column-eof':
            stage = 'rows';
            return false;
          case 'rows':
            if (first === 0xfe && end - start < 9) {
              const status = buffer.readUInt16LE(start + 3);
              const result: WireResult = rows !== undefined ? { rowCount, rows } : { rowCount };
              if (status & SERVER_MORE_RESULTS_EXISTS) {
                kept ??= result;
                stage = 'first';
                return false;
              }
              return complete(result);
            }
            if (first === 0xff) {
              done(WireError.fromServer(readServerError(buffer, start, end)));
              return true;
            }
            rowCount++;
            if (rows !== undefined) rows.push(binary ? readBinaryRow(buffer, start, end, columns) : readTextRow(buffer, start, end, columns));
            return false;
        }
      },
      fail: (error) => done(error),
    };
  }
}
