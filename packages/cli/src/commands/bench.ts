import { Args, Flags } from '@oclif/core';
import { BenchmarkService, OptionError, type BenchmarkOutcome } from '@sqltrace/app';
import { StbError, checkOutputPath, type AllowedEffect } from '@sqltrace/core';
import { PrometheusMetrics, renderResultsSummary, type BenchResults } from '@sqltrace/bench';
import { BenchProgress } from '../shared/bench-progress';
import { parseDuration } from '../shared/duration';
import { ProgressLine } from '../shared/progress-line';
import { EXIT, StbCommand, signalExitCode } from '../shared/stb-command';

export default class Bench extends StbCommand<BenchResults> {
  static override summary = 'Run a trace against a database with honest latency: replay, closed or open loop.';
  static override description = `Every operation is timed three times — intended, sent, done: response time (done − intended, free of coordinated omission), service time (done − sent) and schedule lag (sent − intended), in HDR histograms per template and overall.
replay: the trace's own timing (--speed X, or max), one connection per traced session, sessions independent (a session waiting on a lock never stalls the others); --threads N deals the sessions out over N threads on one schedule.
closed: --concurrency workers back to back for --duration, each walking the trace's statements session by session (a transaction stays whole) (--threads N spreads them over N threads). open: --rate arrivals per second (--arrivals poisson|regular) on --concurrency connections; arrivals that cannot be served are dropped and counted.
Safety: administrative statements (server configuration, roles and passwords, databases, files and programs, shutdown) and destructive DDL (DROP, TRUNCATE, ALTER … DROP/RENAME) are not sent unless --allow admin,ddl; the results count and list them.
Ctrl-C (SIGINT) or SIGTERM stops starting statements, waits up to 5 s for those in flight, writes the results marked "interrupted" and exits 130/143; a second signal exits at once.
Results (JSON, schema sqltrace-bench-results v1) go to -o; they show templates with placeholders (--keep-literals for the executed text); passwords in --url are never printed or written.
Exit codes: 0 a complete run; 1 a run that ended early, measured nothing or failed every operation (--accept-failed-run: 0); 2 bad input; 130/143 interrupted.`;
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
    spread: Flags.string({
      summary:
        "replay: spread the statements that share one tick of a coarse trace's clock (a MariaDB general log's second) evenly over it, or send them at its start.",
      options: ['auto', 'off'],
      default: 'auto',
    }),
    pipeline: Flags.integer({
      summary:
        'replay: statements a session may have in flight (default 1: each waits for the previous answer). Above 1 a session sends each statement when due without waiting — the server still runs them in order; postgres only.',
    }),
    threads: Flags.integer({
      char: 'j',
      summary: 'Spread the connections (replay: the sessions) over this many threads, each with its own event loop and driver (like pgbench -j).',
      default: 1,
    }),
    duration: Flags.string({
      char: 'd',
      summary:
        'Stop after this long, e.g. 60s, 5m (closed/open default 10s; replay: default the whole trace — statements not started by then are not run, and those already due count as dropped).',
    }),
    warmup: Flags.string({ summary: 'Run but do not record the first part, e.g. 10s.' }),
    'metrics-port': Flags.integer({
      summary: 'Serve Prometheus metrics on this port (/metrics) while the run goes; every series is labelled run=<--label, else the start time>.',
    }),
    'metrics-push': Flags.string({
      summary:
        'Push the metrics to this Prometheus Pushgateway (e.g. http://127.0.0.1:9091) every --metrics-push-interval and at the end, grouped by job="stb", run and instance (this host): a run shorter than a scrape interval is seen too.',
    }),
    'metrics-push-interval': Flags.string({ summary: 'How often to push while the run goes (0: only at the end).', default: '10s' }),
    'metrics-push-delete': Flags.boolean({ summary: "Delete the run's group from the Pushgateway at the end (after the final push and --metrics-linger)." }),
    'metrics-linger': Flags.string({
      summary: 'After the run, keep /metrics up (and the pushed group) this long, so the last scrape sees the totals, e.g. 15s.',
      default: '0s',
    }),
    'metrics-templates': Flags.integer({
      summary: 'Templates with series of their own (the top N by time); the rest are summed as template="other".',
      default: 20,
    }),
    label: Flags.string({ summary: 'A name for this run in results and comparisons.' }),
    output: Flags.string({ char: 'o', summary: 'Results file (JSON).' }),
    allow: Flags.string({
      summary: 'Send these classes too: admin (server configuration, roles, databases, files, shutdown), ddl (destructive DDL). Comma-separated.',
      multiple: true,
      delimiter: ',',
      options: ['admin', 'ddl'],
    }),
    'keep-literals': Flags.boolean({ summary: 'Show each template in the results by an executed statement with its values, not by its placeholders.' }),
    'reconnect-for': Flags.string({
      summary: 'When the database goes away mid-run (restart, failover), reconnect for this long before ending the run, e.g. 30s (0: end at once).',
      default: '30s',
    }),
    'accept-failed-run': Flags.boolean({ summary: 'Exit 0 even when the run ended early, measured nothing or every operation failed.' }),
  };

  async run(): Promise<BenchResults> {
    const { args, flags } = await this.parse(Bench);
    // Before the run, not after minutes of it.
    if (flags.output !== undefined) checkOutputPath(flags.output, [args.trace]);
    const service = new BenchmarkService();
    const lingerSeconds = parseDuration(flags['metrics-linger'], '--metrics-linger', { allowZero: true });
    const prometheus = await this.#prometheus(flags, lingerSeconds);
    // Ctrl-C / SIGTERM: stop starting statements, let those in flight finish (5 s at most), keep the results.
    const controller = new AbortController();
    let stoppedBy: NodeJS.Signals | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    this.onInterrupt = (signal) => {
      stoppedBy = signal;
      process.stderr.write(
        `\n${signal}: stopping — waiting up to ${GRACE_SECONDS} s for the statements in flight, then writing the results (again to quit at once)\n`,
      );
      controller.abort();
      graceTimer = setTimeout(() => {
        process.stderr.write(`stb bench: statements in flight did not finish within ${GRACE_SECONDS} s of ${signal}: no results were written\n`);
        process.exit(signalExitCode(signal));
      }, GRACE_SECONDS * 1000).unref();
    };
    // On a terminal, a live line (operations, rate, errors, sessions); off a terminal nothing per operation.
    const line = new ProgressLine();
    const metrics = line.enabled ? new BenchProgress(line, flags.mode, prometheus) : prometheus;
    let outcome: BenchmarkOutcome;
    try {
      outcome = await service.run(
        {
          trace: args.trace,
          driver: flags.driver,
          ...(flags.url !== undefined ? { url: flags.url } : {}),
          mode: flags.mode as 'replay',
          speed: flags.speed === 'max' ? Infinity : Number(flags.speed),
          ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
          ...(flags.pipeline !== undefined ? { pipeline: flags.pipeline } : {}),
          spread: flags.spread as 'auto' | 'off',
          ...(flags.rate !== undefined ? { rate: Number(flags.rate) } : {}),
          arrivals: flags.arrivals as 'poisson',
          threads: flags.threads,
          ...(flags.duration !== undefined ? { durationSeconds: parseDuration(flags.duration, '--duration') } : {}),
          ...(flags.warmup !== undefined ? { warmupSeconds: parseDuration(flags.warmup, '--warmup') } : {}),
          reconnectSeconds: parseDuration(flags['reconnect-for'], '--reconnect-for', { allowZero: true }),
          ...(flags.label !== undefined ? { label: flags.label } : {}),
          allow: (flags.allow ?? []) as AllowedEffect[],
          keepLiterals: flags['keep-literals'],
          ...(flags.output !== undefined ? { output: flags.output } : {}),
        },
        { signal: controller.signal, ...(metrics ? { metrics } : {}) },
      );
      clearTimeout(graceTimer);
    } catch (error) {
      throw error instanceof OptionError ? error.named(`--${error.field}`) : error;
    } finally {
      if (prometheus !== undefined && lingerSeconds > 0) this.warnLine(`keeping the metrics up for ${flags['metrics-linger']} (--metrics-linger)`);
      // A failed final push is said, not fatal: the run and its results stand.
      await metrics?.close()?.catch((error: unknown) => this.warnLine(error instanceof Error ? error.message : String(error)));
    }
    const { results, failure } = outcome;
    this.say(renderResultsSummary(results));
    if (flags.output !== undefined) this.say(`\nresults written to ${flags.output}`);
    if (failure !== undefined && stoppedBy === undefined) {
      this.warnLine(`${failure}${flags.output !== undefined ? ` (results in ${flags.output})` : ''}`);
      if (!flags['accept-failed-run']) process.exitCode = EXIT.failed;
    }
    if (stoppedBy !== undefined) process.exitCode = signalExitCode(stoppedBy);
    return results;
  }

  /** The Prometheus side of a run (--metrics-*): served, pushed, or neither (undefined). */
  async #prometheus(
    flags: {
      'metrics-port'?: number;
      'metrics-push'?: string;
      'metrics-push-interval': string;
      'metrics-push-delete': boolean;
      'metrics-templates': number;
      label?: string;
    },
    lingerSeconds: number,
  ): Promise<PrometheusMetrics | undefined> {
    const port = flags['metrics-port'],
      push = flags['metrics-push'];
    if (port === undefined && push === undefined) return undefined;
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535))
      throw new StbError('E_USAGE', `--metrics-port must be a port number from 0 to 65535, got ${port}`);
    const templates = flags['metrics-templates'];
    if (!(Number.isInteger(templates) && templates >= 0)) throw new StbError('E_USAGE', `--metrics-templates must be a whole number ≥ 0, got ${templates}`);
    let prometheus: PrometheusMetrics;
    try {
      prometheus = new PrometheusMetrics({
        // Every series carries the run's name (its --label, else when it started): a dashboard tells runs apart.
        run: flags.label ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        templateSeries: templates,
        lingerMs: lingerSeconds * 1000,
        ...(push !== undefined
          ? {
              push: {
                url: push,
                intervalMs: parseDuration(flags['metrics-push-interval'], '--metrics-push-interval', { allowZero: true }) * 1000,
                deleteAtEnd: flags['metrics-push-delete'],
                onError: (error: Error) => this.warnLine(error.message),
              },
            }
          : {}),
      });
    } catch (error) {
      if (error instanceof RangeError) throw new StbError('E_USAGE', `--metrics-push: ${error.message}`);
      throw error;
    }
    if (port !== undefined) {
      const bound = await prometheus.listen(port).catch((error: NodeJS.ErrnoException) => {
        throw new StbError(
          'E_USAGE',
          `--metrics-port ${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'not allowed to listen on it' : (error.code ?? error.message)}`,
          { hint: 'Choose another port, or 0 for any free one' },
        );
      });
      this.warnLine(`metrics on http://127.0.0.1:${bound}/metrics (run="${prometheus.run}")`);
    }
    if (push !== undefined) this.warnLine(`metrics pushed to ${push} (job="stb", run="${prometheus.run}")`);
    return prometheus;
  }
}

const GRACE_SECONDS = 5;
