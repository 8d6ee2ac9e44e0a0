import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { StbError, type JobRecord, type JsonObject, type Repository } from '@sqltrace/core';

/** What a job's work is given. */
export interface JobContext {
  readonly job: JobRecord;
  readonly signal: AbortSignal;
  /** A directory of its own for files (removed after). */
  readonly workspace: string;
  progress(progress: JsonObject): void;
}

/** A kind of job's work: its input in, what it made (ids) out. */
export type JobHandler = (input: JsonObject, context: JobContext) => Promise<JsonObject>;

/** What a job's listeners hear: progress, then its end. */
export type JobEvent = { readonly type: 'progress'; readonly progress: JsonObject } | { readonly type: 'end'; readonly job: JobRecord };

/** Progress is written to the repository at most this often (listeners hear every event). */
const PROGRESS_WRITE_MS = 500;

/**
 * Runs jobs in a bounded pool: each is a row in the repository (queued → running → succeeded,
 * failed or cancelled), so it outlives a request and its state survives the server; on start,
 * jobs left running by a server that stopped are failed with the reason and queued ones run.
 * Progress streams to listeners (Server-Sent Events) and, throttled, to the row. A running job is
 * cancelled through its AbortSignal: what it made so far is kept when its work says so.
 */
export class JobRunner {
  readonly #repository: Repository;
  readonly #handlers: Readonly<Record<string, JobHandler>>;
  readonly #workers: number;
  readonly #queue: string[] = [];
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #events = new EventEmitter();
  #closed = false;
  #failedAtStart = 0;

  constructor(repository: Repository, handlers: Readonly<Record<string, JobHandler>>, options: { readonly workers?: number } = {}) {
    this.#repository = repository;
    this.#handlers = handlers;
    this.#workers = options.workers ?? 2;
    this.#events.setMaxListeners(0);
  }

  /** Fails the jobs a previous server left running, and queues those it left queued. Returns how many were failed. */
  async start(): Promise<number> {
    const failed = await this.#repository.failRunningJobs('the server stopped while this job was running');
    this.#failedAtStart = failed;
    const queued = await this.#repository.listJobs({ state: 'queued', limit: 1000 });
    for (const job of queued.reverse()) this.#queue.push(job.id);
    this.#pump();
    return failed;
  }

  /** Jobs a previous server left running, failed by {@link start}. */
  get failedAtStart(): number {
    return this.#failedAtStart;
  }

  async submit(kind: string, input: JsonObject): Promise<JobRecord> {
    if (this.#handlers[kind] === undefined) throw new StbError('E_INTERNAL', `no handler for jobs of kind ${kind}`);
    const job = await this.#repository.createJob({ kind, input });
    this.#queue.push(job.id);
    this.#pump();
    return job;
  }

  /** Cancels a queued or running job; a finished one is left as it is. Returns the job as it is now. */
  async cancel(id: string): Promise<JobRecord | undefined> {
    const job = await this.#repository.getJob(id);
    if (job === undefined) return undefined;
    const running = this.#running.get(id);
    if (running !== undefined) {
      running.controller.abort(new StbError('E_USAGE', 'cancelled'));
      await running.done;
    } else if (job.state === 'queued') {
      const at = this.#queue.indexOf(id);
      if (at >= 0) this.#queue.splice(at, 1);
      const cancelled = await this.#repository.updateJob(id, {
        state: 'cancelled',
        finishedAt: new Date().toISOString(),
        error: 'cancelled before it started',
      });
      this.#events.emit(id, { type: 'end', job: cancelled } satisfies JobEvent);
    }
    return this.#repository.getJob(id);
  }

  /** Listens to a job's events; returns the function that stops listening. */
  listen(id: string, listener: (event: JobEvent) => void): () => void {
    this.#events.on(id, listener);
    return () => this.#events.off(id, listener);
  }

  /** Cancels what runs and waits for it; queued jobs stay queued for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const { controller } of this.#running.values()) controller.abort(new StbError('E_USAGE', 'the server is stopping'));
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < this.#workers && this.#queue.length > 0) {
      const id = this.#queue.shift()!;
      const controller = new AbortController();
      const entry = { controller, done: Promise.resolve() };
      this.#running.set(id, entry);
      entry.done = this.#run(id, controller).finally(() => {
        this.#running.delete(id);
        this.#pump();
      });
    }
  }

  async #run(id: string, controller: AbortController): Promise<void> {
    let job = await this.#repository.getJob(id);
    if (job === undefined || job.state !== 'queued') return;
    job = await this.#repository.updateJob(id, { state: 'running', startedAt: new Date().toISOString() });
    const workspace = await mkdtemp(join(tmpdir(), `stb-job-${id}-`));
    let lastWrite = 0;
    let pending: JsonObject | undefined;
    const context: JobContext = {
      job,
      signal: controller.signal,
      workspace,
      progress: (progress) => {
        this.#events.emit(id, { type: 'progress', progress } satisfies JobEvent);
        pending = progress;
        const now = Date.now();
        if (now - lastWrite >= PROGRESS_WRITE_MS) {
          lastWrite = now;
          pending = undefined;
          void this.#repository.updateJob(id, { progress }).catch(() => undefined);
        }
      },
    };
    let end: JobRecord;
    try {
      const result = await this.#handlers[job.kind]!(job.input, context);
      end = await this.#repository.updateJob(id, {
        state: controller.signal.aborted ? 'cancelled' : 'succeeded',
        result,
        finishedAt: new Date().toISOString(),
        ...(pending !== undefined ? { progress: pending } : {}),
        ...(controller.signal.aborted ? { error: reason(controller.signal) } : {}),
      });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      end = await this.#repository.updateJob(id, {
        state: cancelled ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        error: cancelled ? reason(controller.signal) : error instanceof Error ? error.message : String(error),
        ...(pending !== undefined ? { progress: pending } : {}),
      });
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
    this.#events.emit(id, { type: 'end', job: end } satisfies JobEvent);
  }
}

function reason(signal: AbortSignal): string {
  const r = signal.reason as { message?: string } | undefined;
  return r?.message ?? 'cancelled';
}
