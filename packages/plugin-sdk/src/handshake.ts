import { StbError } from '@sqltrace/core';

/**
 * go-plugin's handshake, as SQL Trace Bench's driver plugins use it: the host starts the plugin
 * with the magic cookie and the app protocol versions it speaks in the environment; the plugin
 * answers with one line on stdout, `CORE|APP|NETWORK|ADDRESS|PROTOCOL[|SERVER-CERT]`.
 */
export const MAGIC_COOKIE_KEY = 'STB_DRIVER_PLUGIN';
export const MAGIC_COOKIE_VALUE = 'b7e3c3a2-sqltrace-driver';
/** go-plugin's core protocol version (the handshake's first field). */
export const CORE_PROTOCOL_VERSION = 1;
/** The driver protocol versions this package speaks (driver.proto's package version). */
export const APP_PROTOCOL_VERSIONS: readonly number[] = [1];

export interface Handshake {
  readonly appVersion: number;
  readonly network: 'unix' | 'tcp';
  readonly address: string;
  /** The plugin's server certificate (base64 DER) when it speaks AutoMTLS. */
  readonly serverCert?: string;
}

/** The environment the host gives a plugin. */
export function pluginEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: APP_PROTOCOL_VERSIONS.join(','),
    PLUGIN_MIN_PORT: base.PLUGIN_MIN_PORT ?? '10000',
    PLUGIN_MAX_PORT: base.PLUGIN_MAX_PORT ?? '25000',
  };
}

/** The handshake line a plugin prints (with its trailing newline). */
export function formatHandshake(h: Handshake): string {
  return `${CORE_PROTOCOL_VERSION}|${h.appVersion}|${h.network}|${h.address}|grpc|${h.serverCert ?? ''}\n`;
}

/** Reads a plugin's handshake line; `plugin` names it in errors. */
export function parseHandshake(line: string, plugin: string): Handshake {
  const fields = line.trim().split('|');
  const fail = (what: string, hint: string) => new StbError('E_USAGE', `driver plugin ${plugin}: ${what}`, { hint });
  if (fields.length < 4 || !/^\d+$/.test(fields[0]!) || !/^\d+$/.test(fields[1]!))
    throw fail(
      `its first line on stdout is not a go-plugin handshake: ${JSON.stringify(line.slice(0, 200))}`,
      'A plugin prints CORE|APP|NETWORK|ADDRESS|grpc before anything else on stdout',
    );
  const [core, app, network, address, protocol = 'netrpc', serverCert] = fields as [string, string, string, string, string?, string?];
  if (Number(core) !== CORE_PROTOCOL_VERSION)
    throw fail(
      `it speaks go-plugin core protocol ${core}; this host speaks ${CORE_PROTOCOL_VERSION}`,
      'Build the plugin with a go-plugin release of the same core protocol',
    );
  if (!APP_PROTOCOL_VERSIONS.includes(Number(app)))
    throw fail(
      `it speaks driver protocol version ${app}; this host speaks ${APP_PROTOCOL_VERSIONS.join(', ')}`,
      'Use a plugin built for this version of SQL Trace Bench (driver.proto sqltrace.driver.v1)',
    );
  if (protocol !== 'grpc')
    throw fail(`it speaks go-plugin's ${protocol} protocol; SQL Trace Bench speaks gRPC only`, 'Serve the plugin with GRPCServer (plugin.DefaultGRPCServer)');
  if (network !== 'unix' && network !== 'tcp') throw fail(`it listens on a ${network} network; expected unix or tcp`, 'Listen on a unix socket or 127.0.0.1');
  return { appVersion: Number(app), network, address, ...(serverCert ? { serverCert } : {}) };
}
