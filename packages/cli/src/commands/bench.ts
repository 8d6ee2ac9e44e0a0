import { writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { StbError, TraceFileSource, redactUrl } from '@sqltrace/core';
import { BenchmarkRunner, PrometheusMetrics, ThreadedBenchmarkRunner, loadDriver, renderResultsSummary, type BenchResults } from '@sqltrace/bench';
import { BenchProgress } from '../shared/bench-progress';
import { parseDuration } from '../shared/duration';
import { ProgressLine } from '../shared/progress-line';
import { EXIT, StbCommand } from '../shared/stb-command';

const DEFAULT_URLS: Record<string, () => string> = {
  sqlite: () => 'sqlite::memory:',
  postgres: () => process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: () => process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};

export default class Bench extends StbCommand<BenchResults> {
  static override summary = 'Run a trace against a database with honest latency: replay, closed or open loop.';
  static override description = `Every operation is timed three times — intended, sent, done: response time (done − intended, free of coordinated omission), service time (done − sent) and schedule lag (sent − intended), in HDR histograms per template and overall.
replay: the trace's own timing (--speed X, or max), one connection per traced session, sessions independent (a session waiting on a lock never stalls the others); --threads N deals the sessions out over N threads on one schedule.
closed: --concurrency workers back to back for --duration (--threads N spreads them over N threads). open: --rate arrivals per second (--arrivals poisson|regular) on --concurrency connections; arrivals that cannot be served are dropped and counted.
Results (JSON, schema sqltrace-bench-results v1) go to -o; passwords in --url are never printed or written.`;
  static override examples = [
    '<%= config.bin %> bench trace.jsonl --driver sqlite --url sqlite:bench.db -o results.json',
    '<%= config.bin %> bench trace.jsonl --driver postgres --url postgres://app@db/prod_copy --speed 2 --metrics-port 9464 -o replay.json',
    '<%= config.bin %> bench trace.jsonl --driver mysql --mode closed --concurrency 16 --duration 60s --warmup 10s -o closed.json',
    '<%= config.bin %> bench trace.jsonl --driver postgres --mode open --rate 5000 --concurrency 32 --duration 2m -o open.json',
  ];

  static override args = {
    trace: Args.string({ description: 'Trace to run (stb parse or stb generate output).', required: true }),
  };

  static override flags = {
    driver: Flags.string({ summary: 'sqlite, postgres, mysql, or the name of an installed driver package.', default: 'sqlite' }),
    url: Flags.string({ summary: 'Connection URL (default: sqlite::memory:, $STB_PG_URL, $STB_MYSQL_URL).' }),
    mode: Flags.string({ summary: 'replay, closed or open.', options: ['replay', 'closed', 'open'], default: 'replay' }),
    speed: Flags.string({ summary: 'replay: time compression (2 = twice as fast), or max.', default: '1' }),
    rate: Flags.string({ summary: 'open: arrivals per second.' }),
    arrivals: Flags.string({ summary: 'open: arrival process.', options: ['poisson', 'regular'], default: 'poisson' }),
    concurrency: Flags.integer({ char: 'c', summary: 'closed: workers; open: connections; replay: most sessions at once.' }),
    spread: Flags.string({ summary: 'replay: spread the statements that share one tick of a coarse trace\'s clock (a MariaDB general log\'s second) evenly over it, or send them at its start.', options: ['auto', 'off'], default: 'auto' }),
    pipeline: Flags.integer({ summary: 'replay: statements a session may have in flight (default 1: each waits for the previous answer). Above 1 a session sends each statement when due without waiting — the server still runs them in order; postgres only.' }),
    threads: Flags.integer({ char: 'j', summary: 'Spread the connections (replay: the sessions) over this many threads, each with its own event loop and driver (like pgbench -j).', default: 1 }),
    duration: Flags.string({ char: 'd', summary: 'Stop after this long, e.g. 60s, 5m (closed/open default 10s; replay: default the whole trace — statements not started by then are not run, and those already due count as dropped).' }),
    warmup: Flags.string({ summary: 'Run but do not record the first part, e.g. 10s.' }),
    'metrics-port': Flags.integer({ summary: 'Serve Prometheus metrics on this port (/metrics) while the run goes.' }),
    label: Flags.string({ summary: 'A name for this run in results and comparisons.' }),
    output: Flags.string({ char: 'o', summary: 'Results file (JSON).' }),
  };

  async run(): Promise<BenchResults> {
    const { args, flags } = await this.parse(Bench);
    const url = flags.url ?? DEFAULT_URLS[flags.driver]?.() ?? '';
    const speed = flags.speed === 'max' ? Infinity : Number(flags.speed);
    if (!(flags.threads >= 1)) throw new StbError('E_USAGE', `--threads must be a whole number ≥ 1, got ${flags.threads}`);
    // The trace's dialect lets a driver adapt (SQLite runs PostgreSQL traces with a compatibility layer).
    const header = await new TraceFileSource(args.trace).header().catch(() => undefined);
    const driverConfig = { url, ...(header?.dialect ? { sourceDialect: header.dialect } : {}) };
    const driver = await loadDriver(flags.driver, driverConfig);
    if (flags.threads > 1 && flags.driver === 'sqlite' && /:memory:/.test(url)) {
      await driver.destroy().catch(() => undefined);
      throw new StbError('E_USAGE', '--threads with an in-memory SQLite database would give every thread a database of its own', { hint: 'Use a file (--url sqlite:bench.db) or drop --threads' });
    }
    const prometheus = flags['metrics-port'] !== undefined ? new PrometheusMetrics() : undefined;
    if (prometheus) {
      const port = await prometheus.listen(flags['metrics-port']!);
      this.warnLine(`metrics on http://127.0.0.1:${port}/metrics`);
    }
    // On a terminal, a live line (operations, rate, errors, sessions); off a terminal nothing per operation.
    const line = new ProgressLine();
    const metrics = line.enabled ? new BenchProgress(line, flags.mode, prometheus) : prometheus;
    let results: BenchResults;
    try {
      const common = {
        target: redactUrl(url), mode: flags.mode as 'replay', speed,
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
        ...(flags.pipeline !== undefined ? { pipeline: flags.pipeline } : {}),
        spread: flags.spread as 'auto' | 'off',
        ...(flags.rate !== undefined ? { rate: Number(flags.rate) } : {}),
        arrivals: flags.arrivals as 'poisson',
        ...(flags.duration !== undefined ? { durationSeconds: parseDuration(flags.duration, '--duration') } : {}),
        ...(flags.warmup !== undefined ? { warmupSeconds: parseDuration(flags.warmup, '--warmup') } : {}),
        ...(metrics ? { metrics } : {}),
        ...(flags.label !== undefined ? { label: flags.label } : {}),
      };
      const runner = flags.threads > 1
        ? new ThreadedBenchmarkRunner({ ...common, threads: flags.threads, driver: { name: flags.driver, config: driverConfig } })
        : new BenchmarkRunner({ ...common, driver });
      results = await runner.run(new TraceFileSource(args.trace));
    } finally {
      await driver.destroy().catch(() => undefined);
      await metrics?.close();
    }
    if (flags.output !== undefined) {
      try {
        writeFileSync(flags.output, JSON.stringify(results, null, 1));
      } catch (error) {
        throw new StbError('E_IO', `${flags.output}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
    this.say(renderResultsSummary(results));
    if (flags.output !== undefined) this.say(`\nresults written to ${flags.output}`);
    if (results.operations > 0 && results.errors === results.operations) {
      const first = results.errorsByClass[0]?.examples[0];
      this.warnLine(`every operation failed${first !== undefined ? ` (e.g. ${first})` : ''}: does the target hold the schema and data the trace needs? stb bench runs the trace's statements only`);
    }
    if (results.endedEarly !== undefined) {
      this.warnLine(`the run ended early: ${results.endedEarly}${flags.output !== undefined ? ` (results so far in ${flags.output})` : ''}`);
      process.exitCode = EXIT.failed;
    }
    return results;
  }
}
