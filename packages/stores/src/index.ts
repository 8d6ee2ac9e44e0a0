// @sqltrace/stores — where SQL Trace Bench keeps what it makes: the repository (embedded SQLite
// by default, PostgreSQL for a team) and the blob store (filesystem, S3).
export type { OpenedRepository, OpenRepositoryOptions } from './open-repository';
export { dataDirectory, defaultStorePath, openRepository } from './open-repository';
export { FsBlobStore } from './blob/fs-blob-store';
export type { Migration } from './sql/migration-plan';
export { pendingMigrations } from './sql/migration-plan';
export { POSTGRES_MIGRATIONS } from './migrations/postgres-migrations';
export { SQLITE_MIGRATIONS } from './migrations/sqlite-migrations';
export type { S3BlobStoreOptions } from './blob/s3-blob-store';
export { S3BlobStore } from './blob/s3-blob-store';
export { openBlobStore } from './blob/open-blob-store';
