import {
  StbError,
  containsSecret,
  type ApiTokenRecord,
  type BenchmarkRecord,
  type JobRecord,
  type JobState,
  type JobUpdate,
  type JsonObject,
  type ListOptions,
  type ModelRecord,
  type Repository,
  type TemplateStat,
  type TraceRecord,
  type ValidationRecord,
} from '@sqltrace/core';
import { newRecordId } from './migration-plan';
import type { SqlClient, SqlValue } from './sql-client';

type Row = Record<string, unknown>;

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;
/** A token's last use is recorded to this resolution. */
const TOKEN_USE_RESOLUTION_MS = 60_000;

/**
 * The repository on a SQL database (SQLite or PostgreSQL through a {@link SqlClient}): one
 * implementation, so both stores answer alike. Rows map to the port's records; absent optional
 * fields are left out, never `null`.
 */
export class SqlRepository implements Repository {
  readonly location: string;
  readonly #db: SqlClient;

  constructor(db: SqlClient, location: string) {
    this.#db = db;
    this.location = location;
  }

  async createTrace(trace: Omit<TraceRecord, 'id' | 'createdAt'>): Promise<TraceRecord> {
    const id = newRecordId('tr');
    await this.#insertChecked(
      'INSERT INTO traces (id, name, created_at, origin, blob, events, sessions, summary, lineage_model_id, lineage_settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        id,
        trace.name,
        now(),
        trace.origin,
        trace.blob ?? null,
        trace.events ?? null,
        trace.sessions ?? null,
        json(trace.summary),
        trace.lineage?.modelId ?? null,
        json(trace.lineage?.settings),
      ],
      `model ${trace.lineage?.modelId}`,
    );
    return (await this.getTrace(id))!;
  }

  async updateTrace(id: string, update: Partial<Pick<TraceRecord, 'blob' | 'events' | 'sessions' | 'summary'>>): Promise<TraceRecord> {
    await this.#update('traces', id, {
      blob: update.blob,
      events: update.events,
      sessions: update.sessions,
      summary: update.summary === undefined ? undefined : json(update.summary),
    });
    return this.#must(await this.getTrace(id), 'trace', id);
  }

  async getTrace(id: string): Promise<TraceRecord | undefined> {
    const [row] = await this.#db.query('SELECT * FROM traces WHERE id = ?', [id]);
    return row === undefined ? undefined : traceFrom(row);
  }

  async listTraces(options: ListOptions = {}): Promise<TraceRecord[]> {
    return (await this.#page('traces', options)).map(traceFrom);
  }

  async setTemplates(traceId: string, templates: readonly TemplateStat[]): Promise<void> {
    this.#must(await this.getTrace(traceId), 'trace', traceId);
    await this.#db.transaction(async (tx) => {
      await tx.run('DELETE FROM trace_templates WHERE trace_id = ?', [traceId]);
      for (const t of templates) {
        await tx.run('INSERT INTO trace_templates (trace_id, template_id, sql, kind, count, total_us) VALUES (?, ?, ?, ?, ?, ?)', [
          traceId,
          t.templateId,
          t.sql,
          t.kind ?? null,
          t.count,
          t.totalUs ?? null,
        ]);
      }
    });
  }

  async templates(traceId: string, options: { readonly limit?: number } = {}): Promise<TemplateStat[]> {
    const rows = await this.#db.query('SELECT * FROM trace_templates WHERE trace_id = ? ORDER BY count DESC, template_id LIMIT ?', [
      traceId,
      limit(options.limit),
    ]);
    return rows.map(
      (r) =>
        clean({
          templateId: String(r.template_id),
          sql: String(r.sql),
          kind: optional(r.kind, String),
          count: Number(r.count),
          totalUs: optional(r.total_us, Number),
        }) as TemplateStat,
    );
  }

  async createModel(model: Omit<ModelRecord, 'id' | 'createdAt'>): Promise<ModelRecord> {
    const id = newRecordId('md');
    await this.#insertChecked(
      'INSERT INTO models (id, trace_id, strategy, created_at, blob, settings, summary) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, model.traceId, model.strategy, now(), model.blob, json(model.settings), json(model.summary)],
      `trace ${model.traceId}`,
    );
    return (await this.getModel(id))!;
  }

  async getModel(id: string): Promise<ModelRecord | undefined> {
    const [row] = await this.#db.query('SELECT * FROM models WHERE id = ?', [id]);
    return row === undefined ? undefined : modelFrom(row);
  }

  async listModels(options: ListOptions & { readonly traceId?: string } = {}): Promise<ModelRecord[]> {
    return (await this.#page('models', options, options.traceId !== undefined ? ['trace_id', options.traceId] : undefined)).map(modelFrom);
  }

  async createValidation(validation: Omit<ValidationRecord, 'id' | 'createdAt'>): Promise<ValidationRecord> {
    const id = newRecordId('va');
    await this.#insertChecked(
      'INSERT INTO validations (id, original_id, synthetic_id, created_at, passed, score, report_blob, html_blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        id,
        validation.originalId,
        validation.syntheticId,
        now(),
        this.#db.dialect === 'sqlite' ? Number(validation.passed) : validation.passed,
        validation.score,
        validation.reportBlob,
        validation.htmlBlob ?? null,
      ],
      `traces ${validation.originalId} and ${validation.syntheticId}`,
    );
    return (await this.getValidation(id))!;
  }

  async getValidation(id: string): Promise<ValidationRecord | undefined> {
    const [row] = await this.#db.query('SELECT * FROM validations WHERE id = ?', [id]);
    return row === undefined ? undefined : validationFrom(row);
  }

  async listValidations(options: ListOptions = {}): Promise<ValidationRecord[]> {
    return (await this.#page('validations', options)).map(validationFrom);
  }

  async createBenchmark(benchmark: Omit<BenchmarkRecord, 'id' | 'createdAt'>): Promise<BenchmarkRecord> {
    if (containsSecret(benchmark.target))
      throw new StbError('E_USAGE', 'a benchmark target is stored without its password: pass the URL with the password left out');
    const id = newRecordId('bm');
    await this.#insertChecked(
      'INSERT INTO benchmarks (id, trace_id, created_at, driver, target, settings, results_blob, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, benchmark.traceId, now(), benchmark.driver, benchmark.target, json(benchmark.settings), benchmark.resultsBlob ?? null, json(benchmark.summary)],
      `trace ${benchmark.traceId}`,
    );
    return (await this.getBenchmark(id))!;
  }

  async updateBenchmark(id: string, update: Partial<Pick<BenchmarkRecord, 'resultsBlob' | 'summary'>>): Promise<BenchmarkRecord> {
    await this.#update('benchmarks', id, { results_blob: update.resultsBlob, summary: update.summary === undefined ? undefined : json(update.summary) });
    return this.#must(await this.getBenchmark(id), 'benchmark', id);
  }

  async getBenchmark(id: string): Promise<BenchmarkRecord | undefined> {
    const [row] = await this.#db.query('SELECT * FROM benchmarks WHERE id = ?', [id]);
    return row === undefined ? undefined : benchmarkFrom(row);
  }

  async listBenchmarks(options: ListOptions & { readonly traceId?: string } = {}): Promise<BenchmarkRecord[]> {
    return (await this.#page('benchmarks', options, options.traceId !== undefined ? ['trace_id', options.traceId] : undefined)).map(benchmarkFrom);
  }

  async createJob(job: Pick<JobRecord, 'kind' | 'input'>): Promise<JobRecord> {
    const id = newRecordId('jb');
    await this.#db.run('INSERT INTO jobs (id, kind, state, created_at, input) VALUES (?, ?, ?, ?, ?)', [id, job.kind, 'queued', now(), json(job.input)]);
    return (await this.getJob(id))!;
  }

  async updateJob(id: string, update: JobUpdate): Promise<JobRecord> {
    await this.#update('jobs', id, {
      state: update.state,
      started_at: update.startedAt,
      finished_at: update.finishedAt,
      error: update.error,
      progress: update.progress === undefined ? undefined : json(update.progress),
      result: update.result === undefined ? undefined : json(update.result),
    });
    return this.#must(await this.getJob(id), 'job', id);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const [row] = await this.#db.query('SELECT * FROM jobs WHERE id = ?', [id]);
    return row === undefined ? undefined : jobFrom(row);
  }

  async listJobs(options: ListOptions & { readonly state?: JobState } = {}): Promise<JobRecord[]> {
    return (await this.#page('jobs', options, options.state !== undefined ? ['state', options.state] : undefined)).map(jobFrom);
  }

  failRunningJobs(reason: string): Promise<number> {
    return this.#db.run("UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE state = 'running'", [reason, now()]);
  }

  async createToken(token: Pick<ApiTokenRecord, 'name' | 'hash'>): Promise<ApiTokenRecord> {
    const id = newRecordId('tk');
    await this.#db.run('INSERT INTO api_tokens (id, name, hash, created_at) VALUES (?, ?, ?, ?)', [id, token.name, token.hash, now()]);
    return (await this.#token('id', id))!;
  }

  async useToken(hash: string): Promise<ApiTokenRecord | undefined> {
    const token = await this.#token('hash', hash);
    if (token === undefined) return undefined;
    // The last use to the minute: a request is a read, not a write, while a token is in use.
    if (token.lastUsedAt !== undefined && Date.now() - Date.parse(token.lastUsedAt) < TOKEN_USE_RESOLUTION_MS) return token;
    const lastUsedAt = now();
    await this.#db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [lastUsedAt, token.id]);
    return { ...token, lastUsedAt };
  }

  async listTokens(): Promise<ApiTokenRecord[]> {
    return (await this.#db.query('SELECT * FROM api_tokens ORDER BY seq DESC')).map(tokenFrom);
  }

  async revokeToken(id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM api_tokens WHERE id = ?', [id])) > 0;
  }

  async ping(): Promise<void> {
    await this.#db.query('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  async #token(column: 'id' | 'hash', value: string): Promise<ApiTokenRecord | undefined> {
    const [row] = await this.#db.query(`SELECT * FROM api_tokens WHERE ${column} = ?`, [value]);
    return row === undefined ? undefined : tokenFrom(row);
  }

  /** Newest first, `limit` of them, before the record `before` when given, optionally where one column equals a value. */
  async #page(table: string, options: ListOptions, where?: [string, string]): Promise<Row[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (where !== undefined) {
      conditions.push(`${where[0]} = ?`);
      params.push(where[1]);
    }
    if (options.before !== undefined) {
      conditions.push(`seq < (SELECT seq FROM ${table} WHERE id = ?)`);
      params.push(options.before);
    }
    params.push(limit(options.limit));
    return this.#db.query(`SELECT * FROM ${table}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`, params);
  }

  /** Sets the columns given (undefined: left as is); a missing record is E_NOT_FOUND. */
  async #update(table: string, id: string, columns: Record<string, SqlValue | undefined>): Promise<void> {
    const set = Object.entries(columns).filter(([, v]) => v !== undefined) as [string, SqlValue][];
    if (set.length === 0) return;
    const changed = await this.#db.run(`UPDATE ${table} SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, [...set.map(([, v]) => v), id]);
    if (changed === 0) throw notFound(table.replace(/s$/, ''), id);
  }

  /** An insert whose foreign keys name records that must exist: a missing one is E_NOT_FOUND naming them. */
  async #insertChecked(sql: string, params: readonly SqlValue[], referenced: string): Promise<void> {
    try {
      await this.#db.run(sql, params);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e.code === '23503') throw new StbError('E_NOT_FOUND', `${referenced}: no such record`, { cause: error });
      throw error;
    }
  }

  #must<T>(record: T | undefined, kind: string, id: string): T {
    if (record === undefined) throw notFound(kind, id);
    return record;
  }
}

function notFound(kind: string, id: string): StbError {
  return new StbError('E_NOT_FOUND', `${kind} ${id}: no such record`);
}

function now(): string {
  return new Date().toISOString();
}

function limit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(value) || value < 1) throw new StbError('E_USAGE', `limit must be a whole number ≥ 1, got ${value}`);
  return Math.min(value, MAX_LIMIT);
}

function json(value: JsonObject | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** A JSON column: text on SQLite, already parsed on PostgreSQL. */
function parsed(value: unknown): JsonObject | undefined {
  if (value === null || value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as JsonObject;
}

/** A time column: text on SQLite, a Date on PostgreSQL. */
function time(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}

function optional<T>(value: unknown, as: (v: unknown) => T): T | undefined {
  return value === null || value === undefined ? undefined : as(value);
}

/** Leaves out fields that are undefined. */
function clean<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] === undefined) delete record[key];
  return record;
}

function traceFrom(r: Row): TraceRecord {
  const settings = parsed(r.lineage_settings);
  return clean({
    id: String(r.id),
    name: String(r.name),
    createdAt: time(r.created_at)!,
    origin: r.origin as TraceRecord['origin'],
    blob: optional(r.blob, String),
    events: optional(r.events, Number),
    sessions: optional(r.sessions, Number),
    summary: parsed(r.summary),
    lineage: r.lineage_model_id !== null && r.lineage_model_id !== undefined ? { modelId: String(r.lineage_model_id), settings: settings ?? {} } : undefined,
  }) as TraceRecord;
}

function modelFrom(r: Row): ModelRecord {
  return clean({
    id: String(r.id),
    traceId: String(r.trace_id),
    strategy: String(r.strategy),
    createdAt: time(r.created_at)!,
    blob: String(r.blob),
    settings: parsed(r.settings),
    summary: parsed(r.summary),
  }) as ModelRecord;
}

function validationFrom(r: Row): ValidationRecord {
  return clean({
    id: String(r.id),
    originalId: String(r.original_id),
    syntheticId: String(r.synthetic_id),
    createdAt: time(r.created_at)!,
    passed: Boolean(r.passed),
    score: Number(r.score),
    reportBlob: String(r.report_blob),
    htmlBlob: optional(r.html_blob, String),
  }) as ValidationRecord;
}

function benchmarkFrom(r: Row): BenchmarkRecord {
  return clean({
    id: String(r.id),
    traceId: String(r.trace_id),
    createdAt: time(r.created_at)!,
    driver: String(r.driver),
    target: String(r.target),
    settings: parsed(r.settings) ?? {},
    resultsBlob: optional(r.results_blob, String),
    summary: parsed(r.summary),
  }) as BenchmarkRecord;
}

function jobFrom(r: Row): JobRecord {
  return clean({
    id: String(r.id),
    kind: String(r.kind),
    state: r.state as JobState,
    createdAt: time(r.created_at)!,
    startedAt: time(r.started_at),
    finishedAt: time(r.finished_at),
    input: parsed(r.input) ?? {},
    progress: parsed(r.progress),
    result: parsed(r.result),
    error: optional(r.error, String),
  }) as JobRecord;
}

function tokenFrom(r: Row): ApiTokenRecord {
  return clean({
    id: String(r.id),
    name: String(r.name),
    hash: String(r.hash),
    createdAt: time(r.created_at)!,
    lastUsedAt: time(r.last_used_at),
  }) as ApiTokenRecord;
}
