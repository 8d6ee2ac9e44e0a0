import { StbError } from '@sqltrace/core';

/** One schema change: versions are 1, 2, 3 … in order, each applied once, in a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The migrations a store still needs, given the versions it has applied. A store whose schema is
 * newer than this code (a later stb wrote it) is refused rather than used or changed; so is one
 * with a gap (a version missing below one applied).
 */
export function pendingMigrations(applied: readonly number[], migrations: readonly Migration[], location: string): Migration[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new StbError('E_INTERNAL', `migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const newest = applied.reduce((a, b) => Math.max(a, b), 0);
  if (newest > known) {
    throw new StbError('E_STORE', `${location}: its schema is at version ${newest}, newer than this version of stb knows (${known})`, {
      hint: 'Upgrade @sqltrace packages to the version that wrote it, or use another store',
    });
  }
  const have = new Set(applied);
  for (let v = 1; v <= newest; v++) {
    if (!have.has(v))
      throw new StbError('E_STORE', `${location}: schema version ${v} is missing below ${newest}`, {
        hint: 'The store was changed by hand: restore it from a backup',
      });
  }
  return migrations.filter((m) => !have.has(m.version));
}

/** A record id: the kind's prefix and 20 random characters (`tr_3f9c…`). */
export function newRecordId(prefix: string): string {
  return `${prefix}_${cryptoRandom()}`;
}

function cryptoRandom(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 20);
}
