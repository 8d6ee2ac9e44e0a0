import type { Migration } from '../sql/migration-plan';

/**
 * The SQLite schema, version by version (never edit a published one: add the next). Records keep
 * an increasing `seq` for newest-first pages; JSON as text; times as ISO 8601 text.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'traces, models, validations, benchmarks, jobs',
    sql: `
      CREATE TABLE traces (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_at TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('uploaded', 'generated')), blob TEXT, events INTEGER, sessions INTEGER, summary TEXT,
        lineage_model_id TEXT REFERENCES models(id), lineage_settings TEXT);
      CREATE TABLE trace_templates (
        trace_id TEXT NOT NULL REFERENCES traces(id) ON DELETE CASCADE, template_id TEXT NOT NULL, sql TEXT NOT NULL,
        kind TEXT, count INTEGER NOT NULL, total_us REAL, PRIMARY KEY (trace_id, template_id));
      CREATE TABLE models (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, trace_id TEXT NOT NULL REFERENCES traces(id),
        strategy TEXT NOT NULL, created_at TEXT NOT NULL, blob TEXT NOT NULL, settings TEXT, summary TEXT);
      CREATE INDEX models_trace ON models (trace_id);
      CREATE TABLE validations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, original_id TEXT NOT NULL REFERENCES traces(id),
        synthetic_id TEXT NOT NULL REFERENCES traces(id), created_at TEXT NOT NULL, passed INTEGER NOT NULL, score REAL NOT NULL,
        report_blob TEXT NOT NULL, html_blob TEXT);
      CREATE TABLE benchmarks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, trace_id TEXT NOT NULL REFERENCES traces(id),
        created_at TEXT NOT NULL, driver TEXT NOT NULL, target TEXT NOT NULL, settings TEXT NOT NULL, results_blob TEXT, summary TEXT);
      CREATE INDEX benchmarks_trace ON benchmarks (trace_id);
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, input TEXT NOT NULL, progress TEXT, result TEXT, error TEXT);
      CREATE INDEX jobs_state ON jobs (state);`,
  },
  {
    version: 2,
    name: 'API tokens',
    sql: `
      CREATE TABLE api_tokens (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL, last_used_at TEXT);`,
  },
];
