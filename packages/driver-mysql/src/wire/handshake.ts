import { createHash } from 'node:crypto';
import { PayloadReader, lenencBytes } from './packet-codec';

/** Capability flags this client asks for. */
export const CLIENT = {
  LONG_PASSWORD: 0x1,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  PROTOCOL_41: 0x200,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  MULTI_RESULTS: 0x2_0000,
  PS_MULTI_RESULTS: 0x4_0000,
  PLUGIN_AUTH: 0x8_0000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x20_0000,
} as const;

/** utf8mb4_general_ci: known to MySQL ≥ 5.5.3 and every MariaDB. */
const UTF8MB4_GENERAL_CI = 45;

/** The server's first packet (Protocol::HandshakeV10). */
export interface Greeting {
  readonly serverVersion: string;
  readonly connectionId: number;
  readonly capabilities: number;
  /** The auth plugin's challenge (20 bytes for mysql_native_password). */
  readonly nonce: Buffer;
  readonly plugin: string;
}

export function readGreeting(buffer: Buffer, start: number, end: number): Greeting {
  const r = new PayloadReader(buffer, start, end);
  const protocol = r.u8();
  if (protocol !== 10) throw new Error(`the server speaks protocol version ${protocol}, not 10`);
  const serverVersion = r.nulString('latin1');
  const connectionId = r.u32();
  const part1 = r.bytes(8);
  r.skip(1);
  let capabilities = r.u16();
  let nonce = Buffer.from(part1);
  let plugin = 'mysql_native_password';
  if (r.remaining > 0) {
    r.skip(1 + 2); // character set, status
    capabilities |= r.u16() << 16;
    const authLength = r.u8();
    r.skip(10);
    if (capabilities & CLIENT.SECURE_CONNECTION) {
      const n = Math.max(13, authLength - 8);
      // The second part ends with a NUL that is not part of the challenge.
      const part2 = r.bytes(n);
      nonce = Buffer.concat([part1, part2.subarray(0, part2[n - 1] === 0 ? n - 1 : n)]);
    }
    if (capabilities & CLIENT.PLUGIN_AUTH) plugin = r.nulString('latin1') || plugin;
  }
  return { serverVersion, connectionId, capabilities: capabilities >>> 0, nonce, plugin };
}

/** The auth plugins this client answers itself. */
export const SUPPORTED_PLUGINS = new Set(['mysql_native_password', 'caching_sha2_password']);

/** The client's answer to an auth plugin's challenge. */
export function authResponse(plugin: string, password: string, nonce: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  if (plugin === 'mysql_native_password') {
    // SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password)))
    const stage1 = sha('sha1', Buffer.from(password, 'utf8'));
    const stage2 = sha('sha1', stage1);
    return xor(stage1, sha('sha1', nonce.subarray(0, 20), stage2));
  }
  if (plugin === 'caching_sha2_password') {
    // SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce): the fast path.
    const stage1 = sha('sha256', Buffer.from(password, 'utf8'));
    const stage2 = sha('sha256', stage1);
    return xor(stage1, sha('sha256', stage2, nonce.subarray(0, 20)));
  }
  throw new Error(`auth plugin ${plugin} is not supported`);
}

/** Protocol::HandshakeResponse41. */
export function handshakeResponse(greeting: Greeting, user: string, password: string, database: string): Buffer {
  const plugin = SUPPORTED_PLUGINS.has(greeting.plugin) ? greeting.plugin : 'mysql_native_password';
  let capabilities =
    CLIENT.LONG_PASSWORD |
    CLIENT.LONG_FLAG |
    CLIENT.PROTOCOL_41 |
    CLIENT.TRANSACTIONS |
    CLIENT.SECURE_CONNECTION |
    CLIENT.MULTI_RESULTS |
    CLIENT.PS_MULTI_RESULTS;
  capabilities |= greeting.capabilities & (CLIENT.PLUGIN_AUTH | CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA);
  if (database !== '') capabilities |= CLIENT.CONNECT_WITH_DB;
  const auth = authResponse(plugin, password, greeting.nonce);
  const head = Buffer.alloc(32);
  head.writeUInt32LE(capabilities >>> 0, 0);
  head.writeUInt32LE(0x1_00_00_00, 4); // max packet: 16 MB
  head[8] = UTF8MB4_GENERAL_CI;
  const parts: Buffer[] = [head, Buffer.from(user + '\0', 'utf8')];
  if (capabilities & CLIENT.PLUGIN_AUTH_LENENC_CLIENT_DATA) parts.push(lenencBytes(auth.length), auth);
  else parts.push(Buffer.from([auth.length]), auth);
  if (database !== '') parts.push(Buffer.from(database + '\0', 'utf8'));
  if (capabilities & CLIENT.PLUGIN_AUTH) parts.push(Buffer.from(plugin + '\0', 'latin1'));
  return Buffer.concat(parts);
}

function sha(algorithm: 'sha1' | 'sha256', ...parts: Buffer[]): Buffer {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
