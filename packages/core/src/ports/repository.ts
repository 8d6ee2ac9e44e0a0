/**
 * What the tool keeps, for a service or a team: traces with their parse summaries and template
 * statistics, models, generated traces and their lineage, validation reports, benchmark runs, the
 * jobs that made them, and API tokens. Large files (trace files, models, reports, results) are
 * not here: a record names its blob (see BlobStore). Implementations: embedded SQLite (the
 * default) and PostgreSQL, held to one contract suite.
 *
 * Times are ISO 8601 strings (UTC); ids are strings the repository makes; `summary`, `settings`
 * and the like are JSON objects kept as given.
 */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** A trace: uploaded and parsed, or generated from a model (its lineage). */
export interface TraceRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** `uploaded` (a log or trace file), `generated` (from a model). */
  readonly origin: 'uploaded' | 'generated';
  /** The trace file (JSONL) in the blob store; absent until parsing has written it. */
  readonly blob?: string;
  readonly events?: number;
  readonly sessions?: number;
  /** The parse summary (formats, warnings, rejected lines) or the generation summary. */
  readonly summary?: JsonObject;
  /** Generated traces: the model and the settings (seed, events, duration) they came from. */
  readonly lineage?: { readonly modelId: string; readonly settings: JsonObject };
}

/** One template of a trace, as the parse summary counted it. */
export interface TemplateStat {
  readonly templateId: string;
  readonly sql: string;
  readonly kind?: string;
  readonly count: number;
  /** Sum of the statements' logged durations, µs, when the log had them. */
  readonly totalUs?: number;
}

export interface ModelRecord {
  readonly id: string;
  readonly traceId: string;
  readonly strategy: string;
  readonly createdAt: string;
  readonly blob: string;
  readonly settings?: JsonObject;
  readonly summary?: JsonObject;
}

export interface ValidationRecord {
  readonly id: string;
  readonly originalId: string;
  readonly syntheticId: string;
  readonly createdAt: string;
  readonly passed: boolean;
  readonly score: number;
  /** The report as JSON, and its HTML page, in the blob store. */
  readonly reportBlob: string;
  readonly htmlBlob?: string;
}

export interface BenchmarkRecord {
  readonly id: string;
  readonly traceId: string;
  readonly createdAt: string;
  /** The driver and the target, its URL without password (never stored with one). */
  readonly driver: string;
  readonly target: string;
  readonly settings: JsonObject;
  /** The results file in the blob store (absent while running). */
  readonly resultsBlob?: string;
  /** Headline figures (throughput, errors, p99) for lists without reading the results file. */
  readonly summary?: JsonObject;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRecord {
  readonly id: string;
  /** `parse`, `train`, `generate`, `validate`, `benchmark`. */
  readonly kind: string;
  readonly state: JobState;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly input: JsonObject;
  /** The last progress event (phase, done, total …). */
  readonly progress?: JsonObject;
  /** What it made: `{ traceId }`, `{ modelId }` … */
  readonly result?: JsonObject;
  /** Why it failed or was cancelled. */
  readonly error?: string;
}

/** What a job's update may change. */
export type JobUpdate = Partial<Pick<JobRecord, 'state' | 'startedAt' | 'finishedAt' | 'progress' | 'result' | 'error'>>;

export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  /** A hash of the token (the token itself is shown once and never kept). */
  readonly hash: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string;
}

export interface ListOptions {
  /** At most this many, newest first (default 100). */
  readonly limit?: number;
  /** Those created before this record (its id): the next page. */
  readonly before?: string;
}

export interface Repository {
  /** `sqlite:PATH` or `postgres://host/db` with the password left out. */
  readonly location: string;

  createTrace(trace: Omit<TraceRecord, 'id' | 'createdAt'>): Promise<TraceRecord>;
  /** Sets what parsing found (blob, counts, summary). */
  updateTrace(id: string, update: Partial<Pick<TraceRecord, 'blob' | 'events' | 'sessions' | 'summary'>>): Promise<TraceRecord>;
  getTrace(id: string): Promise<TraceRecord | undefined>;
  listTraces(options?: ListOptions): Promise<TraceRecord[]>;
  /** Replaces the trace's template statistics. */
  setTemplates(traceId: string, templates: readonly TemplateStat[]): Promise<void>;
  /** Most frequent first. */
  templates(traceId: string, options?: { readonly limit?: number }): Promise<TemplateStat[]>;

  createModel(model: Omit<ModelRecord, 'id' | 'createdAt'>): Promise<ModelRecord>;
  getModel(id: string): Promise<ModelRecord | undefined>;
  listModels(options?: ListOptions & { readonly traceId?: string }): Promise<ModelRecord[]>;

  createValidation(validation: Omit<ValidationRecord, 'id' | 'createdAt'>): Promise<ValidationRecord>;
  getValidation(id: string): Promise<ValidationRecord | undefined>;
  listValidations(options?: ListOptions): Promise<ValidationRecord[]>;

  createBenchmark(benchmark: Omit<BenchmarkRecord, 'id' | 'createdAt'>): Promise<BenchmarkRecord>;
  updateBenchmark(id: string, update: Partial<Pick<BenchmarkRecord, 'resultsBlob' | 'summary'>>): Promise<BenchmarkRecord>;
  getBenchmark(id: string): Promise<BenchmarkRecord | undefined>;
  listBenchmarks(options?: ListOptions & { readonly traceId?: string }): Promise<BenchmarkRecord[]>;

  createJob(job: Pick<JobRecord, 'kind' | 'input'>): Promise<JobRecord>;
  updateJob(id: string, update: JobUpdate): Promise<JobRecord>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(options?: ListOptions & { readonly state?: JobState }): Promise<JobRecord[]>;
  /** After a restart: jobs left running are failed with the reason; returns how many. Queued ones stay queued. */
  failRunningJobs(reason: string): Promise<number>;

  createToken(token: Pick<ApiTokenRecord, 'name' | 'hash'>): Promise<ApiTokenRecord>;
  /** The token with this hash, its last use set to now (to the minute). */
  useToken(hash: string): Promise<ApiTokenRecord | undefined>;
  listTokens(): Promise<ApiTokenRecord[]>;
  revokeToken(id: string): Promise<boolean>;

  /** Resolves when the store answers (a health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
