import type { Migration } from '../sql/migration-plan';

/**
 * The PostgreSQL (15+) schema, version by version (never edit a published one: add the next).
 * JSON as jsonb, times as timestamptz, counts as bigint.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'traces, models, validations, benchmarks, jobs',
    sql: `
      CREATE TABLE traces (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, name text NOT NULL, created_at timestamptz NOT NULL,
        origin text NOT NULL CHECK (origin IN ('uploaded', 'generated')), blob text, events bigint, sessions bigint, summary jsonb,
        lineage_model_id text, lineage_settings jsonb);
      CREATE TABLE trace_templates (
        trace_id text NOT NULL REFERENCES traces(id) ON DELETE CASCADE, template_id text NOT NULL, sql text NOT NULL,
        kind text, count bigint NOT NULL, total_us double precision, PRIMARY KEY (trace_id, template_id));
      CREATE TABLE models (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, trace_id text NOT NULL REFERENCES traces(id),
        strategy text NOT NULL, created_at timestamptz NOT NULL, blob text NOT NULL, settings jsonb, summary jsonb);
      CREATE INDEX models_trace ON models (trace_id);
      ALTER TABLE traces ADD FOREIGN KEY (lineage_model_id) REFERENCES models(id);
      CREATE TABLE validations (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, original_id text NOT NULL REFERENCES traces(id),
        synthetic_id text NOT NULL REFERENCES traces(id), created_at timestamptz NOT NULL, passed boolean NOT NULL,
        score double precision NOT NULL, report_blob text NOT NULL, html_blob text);
      CREATE TABLE benchmarks (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, trace_id text NOT NULL REFERENCES traces(id),
        created_at timestamptz NOT NULL, driver text NOT NULL, target text NOT NULL, settings jsonb NOT NULL, results_blob text, summary jsonb);
      CREATE INDEX benchmarks_trace ON benchmarks (trace_id);
      CREATE TABLE jobs (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, kind text NOT NULL,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        created_at timestamptz NOT NULL, started_at timestamptz, finished_at timestamptz, input jsonb NOT NULL,
        progress jsonb, result jsonb, error text);
      CREATE INDEX jobs_state ON jobs (state);`,
  },
  {
    version: 2,
    name: 'API tokens',
    sql: `
      CREATE TABLE api_tokens (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, name text NOT NULL, hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL, last_used_at timestamptz);`,
  },
];
