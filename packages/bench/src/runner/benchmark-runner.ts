import { StbError, headerResolution, type Driver, type MetricsSink, type TraceSource } from '@sqltrace/core';
import { RESULTS_SCHEMA, RESULTS_VERSION, type BenchResults } from '../results/bench-results';
import { checkPipeline } from './check-pipeline';
import { closedLoop } from './closed-mode';
import { openLoop } from './open-mode';
import { replay } from './replay-mode';
import { loopDelayMs } from './loop-delay';
import { RunContext } from './run-context';
import { spreadTicks } from './spread-ticks';
import { StatementGuard, type SafetyPolicy } from './statement-guard';
import { statementPool } from './statement-pool';

/** A trace's clock resolution from its header (1 when it has none). */
export async function clockResolution(trace: TraceSource, signal?: AbortSignal): Promise<number> {
  return headerResolution(await trace.header?.(signal ? { signal } : {}));
}

export interface BenchmarkOptions {
  readonly driver: Driver;
  /** Where it runs, for the results (pass a redacted URL). */
  readonly target: string;
  readonly mode: 'replay' | 'closed' | 'open';
  /** replay: time compression (default 1; Infinity = as fast as the database allows). */
  readonly speed?: number;
  /** closed: workers; open: connections; replay: the cap on concurrent sessions (default 10,000). */
  readonly concurrency?: number;
  /** open: arrivals per second, Poisson (default) or regular. */
  readonly rate?: number;
  readonly arrivals?: 'poisson' | 'regular';
  /** open, regular arrivals: the first arrival's offset as a fraction of the interval (default 0). */
  readonly arrivalPhase?: number;
  /**
   * Stop after this long (closed and open: default 10 s; replay: default the whole trace —
   * statements not started by then are not run, those already due count as dropped).
   */
  readonly durationSeconds?: number;
  /** Run but do not record the first seconds (default 0). */
  readonly warmupSeconds?: number;
  readonly metrics?: MetricsSink;
  readonly signal?: AbortSignal;
  readonly label?: string;
  readonly seed?: string | number;
  /**
   * replay: a schedule shared with other runners replaying parts of the same trace at the same
   * time (the threads of one run, or several machines): the wall-clock time it starts, in ms
   * since the epoch as `performance.timeOrigin + performance.now()` gives it, and the trace time
   * (µs) due then. Default: a moment from now, and the first event's time.
   */
  readonly schedule?: { readonly startAt: number; readonly firstTs: number };
  /**
   * replay: statements a session may have in flight (default 1: each waits for the answer to the
   * one before, as the application did). Above 1, a session sends each statement when it is due
   * without waiting, up to this many unanswered — the server still runs them in order, each on its
   * own — so the replay is no longer held to one round trip per statement; a statement's service
   * time then includes its wait behind those sent before it. Needs a driver that pipelines
   * (`openPipelined`: postgres).
   */
  readonly pipeline?: number;
  /**
   * replay: statements that share one tick of a coarse trace's clock (its header's
   * `resolutionUs`: a second in a MariaDB general log) are spread evenly over the tick in log
   * order (`auto`, the default), or all sent at its start (`off`). At speed Infinity (max)
   * nothing is due at a time and nothing is spread.
   */
  readonly spread?: 'auto' | 'off';
  /**
   * Statements refused (not sent, counted in `refused`): administrative ones and destructive DDL
   * unless allowed. `stb bench` always passes one; without it every statement is sent.
   */
  readonly safety?: SafetyPolicy;
  /**
   * How long a server that went away after the run connected (restarted, failed over) is waited
   * for, reconnecting, before the run ends early (default 30 s; 0: end at once).
   */
  readonly reconnectSeconds?: number;
}

/**
 * Runs a trace against a database and measures every operation three times — intended, sent,
 * done — into HDR histograms per template and overall. Modes: `replay` (the trace's own timing,
 * sessions independent), `closed` (N workers, no think time), `open` (arrivals at a fixed rate).
 */
export class BenchmarkRunner {
  readonly #o: BenchmarkOptions;

  constructor(options: BenchmarkOptions) {
    this.#o = options;
    for (const [name, value] of [
      ['speed', options.speed],
      ['concurrency', options.concurrency],
      ['rate', options.rate],
      ['duration', options.durationSeconds],
    ] as const) {
      if (value !== undefined && !(value > 0)) throw new StbError('E_USAGE', `--${name} must be a positive number, got ${value}`);
    }
    if (options.reconnectSeconds !== undefined && !(options.reconnectSeconds >= 0))
      throw new StbError('E_USAGE', `--reconnect-for must be ≥ 0, got ${options.reconnectSeconds}`);
    if (options.warmupSeconds !== undefined && !(options.warmupSeconds >= 0))
      throw new StbError('E_USAGE', `--warmup must be ≥ 0, got ${options.warmupSeconds}`);
    if (options.mode === 'open' && options.rate === undefined) throw new StbError('E_USAGE', 'open mode needs --rate (arrivals per second)');
    checkPipeline(options.pipeline, options.mode, options.driver);
  }

  async run(input: TraceSource): Promise<BenchResults> {
    const o = this.#o;
    const guard = o.safety !== undefined ? new StatementGuard(o.safety) : undefined;
    const trace = guard !== undefined ? guard.filter(input) : input;
    const warmup = o.warmupSeconds ?? 0;
    const startedAt = new Date().toISOString();
    // A replay on the trace's clock starts a little ahead, so the first connections are open when the first statements are due.
    const timed = o.mode === 'replay' && Number.isFinite(o.speed ?? 1);
    const start = o.schedule !== undefined ? o.schedule.startAt - performance.timeOrigin : performance.now() + (timed ? 250 : 0);
    const pipeline = o.pipeline ?? 1;
    const context = new RunContext(o.driver, warmup, o.metrics, o.signal, start, pipeline > 1);
    if (o.reconnectSeconds !== undefined) context.reconnectMs = o.reconnectSeconds * 1000;
    const progress =
      o.durationSeconds !== undefined && o.metrics
        ? setInterval(() => o.metrics!.setProgress(Math.min(1, (performance.now() - context.start) / 1000 / o.durationSeconds!)), 500)
        : undefined;
    let settings: Record<string, number | string | boolean>;
    try {
      if (o.mode === 'replay') {
        const speed = o.speed ?? 1;
        // At --speed max nothing is due at a time: there is nothing to spread (and no copy of every event to make).
        const resolution = o.spread === 'off' || !Number.isFinite(speed) ? 1 : await clockResolution(trace, o.signal);
        settings = {
          speed: Number.isFinite(speed) ? speed : 'max',
          maxConnections: o.concurrency ?? 10_000,
          ...(pipeline > 1 ? { pipeline } : {}),
          ...(resolution > 1 ? { spreadOverUs: resolution } : {}),
          ...(o.spread === 'off' ? { spread: 'off' } : {}),
        };
        await replay(resolution > 1 ? spreadTicks(trace, resolution) : trace, context, {
          speed,
          maxConnections: o.concurrency ?? 10_000,
          ...(o.durationSeconds !== undefined ? { durationSeconds: o.durationSeconds } : {}),
          ...(o.schedule !== undefined ? { firstTs: o.schedule.firstTs } : {}),
          pipeline,
        });
      } else {
        const pool = await statementPool(trace);
        if (pool.length === 0) throw new StbError('E_INPUT', `${trace.name}: the trace has no statements to run`);
        const duration = o.durationSeconds ?? 10;
        if (o.mode === 'closed') {
          settings = { workers: o.concurrency ?? 8, durationSeconds: duration, statements: pool.length };
          await closedLoop(pool, context, o.concurrency ?? 8, duration);
        } else {
          settings = { rate: o.rate!, arrivals: o.arrivals ?? 'poisson', connections: o.concurrency ?? 8, durationSeconds: duration, statements: pool.length };
          await openLoop(pool, context, {
            rate: o.rate!,
            arrivals: o.arrivals ?? 'poisson',
            connections: o.concurrency ?? 8,
            durationSeconds: duration,
            seed: o.seed ?? 1,
            ...(o.arrivalPhase !== undefined ? { phase: o.arrivalPhase } : {}),
          });
        }
      }
    } finally {
      if (progress) clearInterval(progress);
      context.loopDelay.disable();
    }
    o.metrics?.setProgress(1);
    const end = performance.now();
    const measured = Math.max(1e-9, (end - context.start) / 1000 - warmup);
    const overall = context.recorder.overall();
    const errors = overall.errors;
    const loop = context.loopDelay;
    return {
      schema: RESULTS_SCHEMA,
      version: RESULTS_VERSION,
      ...(o.label ? { label: o.label } : {}),
      driver: o.driver.name,
      target: o.target,
      mode: o.mode,
      settings: { ...settings!, warmupSeconds: warmup },
      startedAt,
      durationSeconds: measured,
      warmupSeconds: warmup,
      operations: overall.operations,
      errors,
      dropped: context.dropped,
      throughput: overall.operations / measured,
      goodput: (overall.operations - errors) / measured,
      responseTime: overall.response.summary(),
      serviceTime: overall.service.summary(),
      scheduleLag: overall.lag.summary(),
      errorsByClass: context.recorder.errorsByClass(),
      connections: { ...context.connections },
      sessionsBehind: o.mode === 'replay' ? context.recorder.sessionsBehind() : [],
      eventLoopDelay: { p50: loopDelayMs(loop, 50), p99: loopDelayMs(loop, 99), max: loopDelayMs(loop, 100) },
      ...(context.endedEarly !== undefined ? { endedEarly: context.endedEarly } : {}),
      ...(context.interrupted ? { interrupted: true } : {}),
      ...(guard !== undefined ? { refused: guard.toJSON() } : {}),
      ...(context.transactions.rolledBack.transactions > 0 ? { rolledBack: { ...context.transactions.rolledBack } } : {}),
      timeline: context.timeline.toJSON(),
      templates: context.recorder.templates(),
      histograms: { responseTime: overall.response.encode(), serviceTime: overall.service.encode(), scheduleLag: overall.lag.encode() },
    };
  }
}
