import { readFileSync } from 'node:fs';
import { StbError, type BlobStore, type Repository } from '@sqltrace/core';
import { openBlobStore, openRepository } from '@sqltrace/stores';
import { hashToken, issueToken } from './auth/api-tokens';
import { createApiServer, type ApiServer } from './server';

export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  /** `sqlite:PATH` or `postgres://…` (default: embedded SQLite in the user data directory). */
  readonly store?: string;
  /** A directory, `file:DIR` or `s3://bucket/prefix` (default: `blobs/` in the user data directory). */
  readonly blobs?: string;
  /** A JSON file of named benchmark targets: `{ "name": { "driver": "postgres", "url": "postgres://…" } }`. */
  readonly targetsFile?: string;
  /** A token to accept (e.g. from STB_API_TOKEN), stored hashed if new. */
  readonly token?: string;
  readonly maxUploadBytes?: number;
  readonly workers?: number;
  readonly logger?: boolean;
}

export interface Serving {
  readonly server: ApiServer;
  readonly url: string;
  readonly repository: Repository;
  readonly blobs: BlobStore;
  /** A token made on this start (the store had none): shown once, never again. */
  readonly newToken?: string;
  /** Jobs a previous server left running, now failed. */
  readonly failedJobs: number;
  readonly schemaApplied: readonly number[];
  close(): Promise<void>;
}

/**
 * `stb serve`: opens the store (migrating it) and the blob store, makes a first token when the
 * store has none (or keeps the one given), and listens.
 */
export async function serve(options: ServeOptions = {}): Promise<Serving> {
  const { repository, applied } = await openRepository(options.store);
  try {
    const blobs = await openBlobStore(options.blobs);
    let newToken: string | undefined;
    if (options.token !== undefined) {
      if (options.token.length < 16) throw new StbError('E_USAGE', 'the API token must be at least 16 characters');
      if ((await repository.useToken(hashToken(options.token))) === undefined)
        await repository.createToken({ name: 'from STB_API_TOKEN', hash: hashToken(options.token) });
    } else if ((await repository.listTokens()).length === 0) {
      newToken = (await issueToken(repository, 'first token')).token;
    }
    const server = await createApiServer({
      repository,
      blobs,
      targets: options.targetsFile !== undefined ? readTargets(options.targetsFile) : {},
      ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    await server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
    const address = server.server.address() as { address: string; port: number; family: string };
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const failedJobs = server.jobs.failedAtStart;
    return {
      server,
      url: `http://${host}:${address.port}`,
      repository,
      blobs,
      failedJobs,
      schemaApplied: applied,
      ...(newToken !== undefined ? { newToken } : {}),
      close: async () => {
        await server.close();
        await repository.close();
      },
    };
  } catch (error) {
    await repository.close();
    throw error;
  }
}

function readTargets(file: string): Record<string, { driver: string; url: string }> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StbError('E_INPUT', `${file}: cannot read the targets file: ${(error as Error).message}`, {
      hint: 'Write {"name": {"driver": "postgres", "url": "postgres://…"}}',
    });
  }
  const targets: Record<string, { driver: string; url: string }> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    const t = value as { driver?: unknown; url?: unknown };
    if (typeof t?.driver !== 'string' || typeof t.url !== 'string') throw new StbError('E_INPUT', `${file}: target ${name} needs a driver and a url`);
    targets[name] = { driver: t.driver, url: t.url };
  }
  return targets;
}
