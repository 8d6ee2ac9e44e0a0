import { StbError, type Driver } from '@sqltrace/core';
import type * as PluginSdk from '@sqltrace/plugin-sdk';

/**
 * `--driver plugin:PATH[?ARG&ARG…]`: a driver in another process, speaking HashiCorp go-plugin's
 * gRPC protocol (see @sqltrace/plugin-sdk and its proto/driver.proto). The ARGs, URI-decoded, are
 * the plugin's command-line arguments. STB_PLUGIN_STATEMENT_TIMEOUT_MS: how long a statement may go
 * unanswered before its session counts as lost (default 60 s).
 */
export async function loadPluginDriver(spec: string, config: { readonly url: string; readonly [key: string]: unknown }): Promise<Driver> {
  const q = spec.indexOf('?');
  const path = q === -1 ? spec : spec.slice(0, q);
  const args =
    q === -1
      ? []
      : spec
          .slice(q + 1)
          .split('&')
          .filter(Boolean)
          .map(decodeURIComponent);
  if (path === '') throw new StbError('E_USAGE', 'driver plugin: no program named', { hint: 'Write --driver plugin:PATH[?ARG&ARG…]' });
  let sdk: typeof PluginSdk;
  try {
    sdk = await import('@sqltrace/plugin-sdk');
  } catch (error) {
    throw new StbError('E_USAGE', 'driver plugins need @sqltrace/plugin-sdk, which is not installed', {
      hint: 'npm install @sqltrace/plugin-sdk',
      cause: error,
    });
  }
  const sourceDialect = typeof config.sourceDialect === 'string' ? config.sourceDialect : undefined;
  const timeout = Number(process.env.STB_PLUGIN_STATEMENT_TIMEOUT_MS);
  return sdk.PluginDriver.start({
    path,
    args,
    url: config.url,
    ...(sourceDialect !== undefined ? { sourceDialect } : {}),
    ...(timeout > 0 ? { statementTimeoutMs: timeout } : {}),
  });
}
