export { APP_PROTOCOL_VERSIONS, CORE_PROTOCOL_VERSION, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, formatHandshake, parseHandshake } from './handshake';
export type { Handshake } from './handshake';
export { PluginDriver } from './plugin-driver';
export type { PluginDriverOptions } from './plugin-driver';
export { servePlugin } from './serve-plugin';
export type { PluginDriverFactory } from './serve-plugin';
export { protoDir } from './proto';
