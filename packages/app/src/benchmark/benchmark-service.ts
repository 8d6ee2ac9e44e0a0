import { readFileSync } from 'node:fs';
import { StbError, TraceFileSource, redactSecrets, writeFileAtomic, type AllowedEffect, type MetricsSink } from '@sqltrace/core';
import {
  BenchmarkRunner,
  RESULTS_SCHEMA,
  ThreadedBenchmarkRunner,
  checkRegressionBudgets,
  loadDriver,
  parseRegressionBudget,
  renderComparison,
  runFailure,
  withTemplateText,
  type BenchResults,
  type BudgetViolation,
} from '@sqltrace/bench';
import { Normalizer, classifyStatement } from '@sqltrace/parser';
import { OptionError } from '../errors/option-error';

/** The built-in drivers' default targets: in-memory SQLite, and this machine's servers (or $STB_PG_URL, $STB_MYSQL_URL). */
const DEFAULT_URLS: Record<string, () => string> = {
  sqlite: () => 'sqlite::memory:',
  postgres: () => process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: () => process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

type Dialect = 'postgres' | 'mysql' | 'sqlite';

export interface BenchmarkRequest {
  /** Trace file to run. */
  readonly trace: string;
  /** sqlite, postgres, mysql, or an installed driver package. */
  readonly driver: string;
  /** Connection URL (default: {@link BenchmarkService.defaultUrl}); passwords never reach the results. */
  readonly url?: string;
  readonly mode: 'replay' | 'closed' | 'open';
  /** replay: time compression; Infinity: as fast as the database allows. */
  readonly speed?: number;
  readonly rate?: number;
  readonly arrivals?: 'poisson' | 'regular';
  readonly concurrency?: number;
  readonly pipeline?: number;
  readonly spread?: 'auto' | 'off';
  /** Threads to spread the connections over (default 1). */
  readonly threads?: number;
  readonly durationSeconds?: number;
  readonly warmupSeconds?: number;
  readonly reconnectSeconds?: number;
  readonly label?: string;
  /** Statement classes sent although they are held back by default. */
  readonly allow?: readonly AllowedEffect[];
  /** Templates in the results shown by an executed statement's text rather than by placeholders. */
  readonly keepLiterals?: boolean;
  /** Results file (JSON) to write, whole or not at all. */
  readonly output?: string;
  /** Statements run before the benchmark, one at a time (schema, data), with the driver's `prepare`. */
  readonly setup?: readonly string[];
}

export interface BenchmarkObserver {
  /** Stops starting statements; those in flight finish and the results are marked interrupted. */
  readonly signal?: AbortSignal;
  /** Live figures (a progress line, Prometheus). */
  readonly metrics?: MetricsSink;
}

export interface BenchmarkOutcome {
  readonly results: BenchResults;
  /**
   * Why the run cannot be trusted — ended early, measured nothing, every operation failed (with
   * a diagnosis) — or undefined. Not set for a run the caller interrupted.
   */
  readonly failure?: string;
}

/**
 * Runs a trace against a database: the driver loaded for the trace's dialect, one runner or
 * several threads, statements that change the server held back unless allowed, results with
 * templates (not literals) and the target's password removed, written whole.
 */
export class BenchmarkService {
  /** The URL a driver runs against when none is given. */
  defaultUrl(driver: string): string {
    return DEFAULT_URLS[driver]?.() ?? '';
  }

  async run(request: BenchmarkRequest, observer: BenchmarkObserver = {}): Promise<BenchmarkOutcome> {
    const url = request.url ?? this.defaultUrl(request.driver);
    const threads = request.threads ?? 1;
    if (!(Number.isInteger(threads) && threads >= 1)) throw new OptionError('threads', (name) => `${name} must be a whole number ≥ 1, got ${threads}`);
    // The trace's dialect lets a driver adapt (SQLite runs PostgreSQL traces with a compatibility layer).
    const header = await new TraceFileSource(request.trace).header().catch(() => undefined);
    const driverConfig = { url, ...(header?.dialect ? { sourceDialect: header.dialect } : {}) };
    const dialect = (header?.dialect ?? 'postgres') as Dialect;
    if (threads > 1 && request.driver === 'sqlite' && /:memory:/.test(url)) {
      throw new OptionError(
        'threads',
        (name) => `${name} with an in-memory SQLite database would give every thread a database of its own`,
        'Use a file (--url sqlite:bench.db) or drop --threads',
      );
    }
    const driver = await loadDriver(request.driver, driverConfig);
    let results: BenchResults;
    try {
      if (request.setup !== undefined && request.setup.length > 0) {
        if (driver.prepare === undefined) throw new OptionError('setup', (name) => `the ${request.driver} driver cannot run ${name} statements`);
        await driver.prepare(request.setup);
      }
      const common = {
        target: redactSecrets(url),
        mode: request.mode,
        ...(request.speed !== undefined ? { speed: request.speed } : {}),
        ...(observer.signal !== undefined ? { signal: observer.signal } : {}),
        safety: { classify: (sql: string) => classifyStatement(sql, dialect), allow: [...(request.allow ?? [])] },
        ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}),
        ...(request.pipeline !== undefined ? { pipeline: request.pipeline } : {}),
        ...(request.spread !== undefined ? { spread: request.spread } : {}),
        ...(request.rate !== undefined ? { rate: request.rate } : {}),
        ...(request.arrivals !== undefined ? { arrivals: request.arrivals } : {}),
        ...(request.durationSeconds !== undefined ? { durationSeconds: request.durationSeconds } : {}),
        ...(request.warmupSeconds !== undefined ? { warmupSeconds: request.warmupSeconds } : {}),
        ...(request.reconnectSeconds !== undefined ? { reconnectSeconds: request.reconnectSeconds } : {}),
        ...(observer.metrics !== undefined ? { metrics: observer.metrics } : {}),
        ...(request.label !== undefined ? { label: request.label } : {}),
      };
      const runner =
        threads > 1
          ? new ThreadedBenchmarkRunner({ ...common, threads, driver: { name: request.driver, config: driverConfig } })
          : new BenchmarkRunner({ ...common, driver });
      results = await runner.run(new TraceFileSource(request.trace));
    } finally {
      await driver.destroy().catch(() => undefined);
    }
    if (request.keepLiterals !== true) results = withTemplateText(results, templateText(dialect));
    if (request.output !== undefined) writeFileAtomic(request.output, JSON.stringify(results, null, 1));
    const failure = observer.signal?.aborted === true ? undefined : runFailure(results);
    return { results, ...(failure !== undefined ? { failure } : {}) };
  }

  /**
   * Two or more runs side by side (the first is the baseline), and with `failOn` budgets
   * (`throughput=5%`, `response-p99=10%`, `errors=0`) the later runs' figures that got worse than
   * the baseline's by more than allowed. A bad budget is an OptionError on `failOn`.
   */
  compare(runs: readonly { name: string; results: BenchResults }[], failOn: readonly string[] = []): { table: string; violations: BudgetViolation[] } {
    if (runs.length < 2) throw new OptionError('runs', () => `a comparison needs at least two runs, got ${runs.length}`);
    const budgets = failOn.map((text) => {
      try {
        return parseRegressionBudget(text);
      } catch (error) {
        throw new OptionError('failOn', () => (error as Error).message);
      }
    });
    return { table: renderComparison(runs), violations: checkRegressionBudgets(runs, budgets) };
  }

  /** Results written by a run (`output`), checked to be benchmark results. */
  loadResults(file: string): BenchResults {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new StbError('E_IO', `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read'}`);
    }
    return this.readResults(text, file);
  }

  /** Results from their JSON text (`source` names where it came from, for messages). */
  readResults(text: string, source: string): BenchResults {
    let json: Partial<BenchResults>;
    try {
      json = JSON.parse(text) as Partial<BenchResults>;
    } catch {
      throw new StbError('E_INPUT', `${source}: not JSON`, { hint: 'Pass results written by `stb bench -o`' });
    }
    if (json.schema !== RESULTS_SCHEMA)
      throw new StbError('E_INPUT', `${source}: not benchmark results (no "schema": "${RESULTS_SCHEMA}")`, { hint: 'Pass results written by `stb bench -o`' });
    return json as BenchResults;
  }
}

/** A statement's template text (placeholders for its values), in the trace's dialect. */
function templateText(dialect: Dialect): (sql: string) => string {
  const normalizer = new Normalizer({ dialect, analyze: false });
  return (sql) => normalizer.normalize(sql).template.text;
}
