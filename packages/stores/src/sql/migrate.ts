import type { SqlClient } from './sql-client';
import { pendingMigrations, type Migration } from './migration-plan';

/**
 * Brings the schema to the newest version this code knows: the pending migrations and their
 * version rows in one transaction (both databases change schemas transactionally), so a failure
 * leaves the schema as it was.
 * A schema newer than the code is refused (see pendingMigrations). PostgreSQL serialises
 * concurrent starts with an advisory lock; SQLite's write lock does the same.
 * Returns the versions applied.
 */
export async function migrate(client: SqlClient, migrations: readonly Migration[], location: string): Promise<number[]> {
  return client.transaction(async (tx) => {
    // (Held until the transaction ends: two servers starting at once migrate one after the other.)
    if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version));
    const pending = pendingMigrations(applied, migrations, location);
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, new Date().toISOString()]);
    }
    return pending.map((m) => m.version);
  });
}

/** The advisory lock's key: "stb-migr" as a number. */
const MIGRATION_LOCK = 0x7374_622d_6d69;
