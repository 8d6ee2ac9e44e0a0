import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenRecord, Repository } from '@sqltrace/core';

/** How a token is kept: its SHA-256 (a token is 32 random bytes, so a fast hash is enough). */
export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

/** A new token: shown once to whoever asked, kept only as its hash. */
export async function issueToken(repository: Repository, name: string): Promise<{ token: string; record: ApiTokenRecord }> {
  const token = `stb_${randomBytes(32).toString('base64url')}`;
  const record = await repository.createToken({ name, hash: hashToken(token) });
  return { token, record };
}

/** The token a request's `Authorization: Bearer …` names, if it is one the repository has. */
export async function authenticate(repository: Repository, header: string | undefined): Promise<ApiTokenRecord | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (match === null) return undefined;
  return repository.useToken(hashToken(match[1]!));
}
