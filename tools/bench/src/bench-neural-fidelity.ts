/**
 * `npm run bench:neural-fidelity`: are the neural strategies as faithful as Markov on real logs
 * captured here and now? (Issue: neural strategies as faithful as Markov on real logs.) Markov is
 * the baseline, measured on the same capture in the same run.
 *
 * Captures, each on this machine's servers (skipped, and said so, when a server or tool is missing):
 *  - `tpcb`: pgbench -c 8 -j 2 -T 30 TPC-B on PostgreSQL (eight connections for the whole log);
 *  - `sysbench`: sysbench oltp_read_write --threads=8 on MariaDB, the general log switched on mid-run;
 *  - `tpcb-C`: pgbench -C -c 6 -T 40 (a new connection for every transaction).
 * On each: train markov, lstm and transformer as `stb train` does (defaults), generate as many
 * events, validate with default thresholds. Prints every property's effect size per strategy and
 * the verdict the session-fidelity suite once asserted in CI: the neural strategy fails nothing
 * Markov passes, and its template mix and transitions come within 0.01 of Markov's. This takes
 * 25–40 minutes (the networks train on 300,000–430,000 events); STB_NEURAL_LOGS=tpcb,sysbench picks
 * captures, STB_NEURAL_STRATEGIES=lstm picks strategies. Writes out/bench-neural-fidelity.json.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIDELITY_CAPTURES, pipeline, synthesize, type Pipeline } from '@sqltrace/capture';
import { have, out } from './bench-inputs';

type Strategy = 'lstm' | 'transformer';

const pick = (variable: string, all: readonly string[]): string[] =>
  process.env[variable]
    ? process.env[variable]!.split(',')
        .map((s) => s.trim())
        .filter((s) => all.includes(s))
    : [...all];
const logs = pick(
  'STB_NEURAL_LOGS',
  FIDELITY_CAPTURES.map((c) => c.name),
);
const strategies = pick('STB_NEURAL_STRATEGIES', ['lstm', 'transformer']) as Strategy[];

interface Row {
  readonly log: string;
  readonly strategy: 'markov' | Strategy;
  readonly events: number;
  readonly trainSeconds: number;
  readonly failed: readonly string[];
  readonly effects: Record<string, number>;
  /** For a neural strategy: fails nothing Markov passes, mix and transitions within 0.01 of Markov's. */
  readonly asFaithful?: boolean;
}

const effects = (run: Pipeline): Record<string, number> => Object.fromEntries(run.report.properties.map((p) => [p.property, Number(p.effectSize.toFixed(3))]));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'stb-neural-fidelity-'));
  const rows: Row[] = [];
  for (const c of FIDELITY_CAPTURES.filter((x) => logs.includes(x.name))) {
    if (!have(c.needs)) {
      process.stderr.write(`skipping ${c.name}: ${c.needs} is not installed\n`);
      continue;
    }
    const log = join(dir, `${c.name}.log`);
    process.stderr.write(`capturing ${c.label} …\n`);
    try {
      await c.capture(log);
    } catch (error) {
      process.stderr.write(`skipping ${c.name}: the capture failed (${(error as Error).message.split('\n')[0]}); is the server up?\n`);
      continue;
    }
    let started = performance.now();
    const markov = await pipeline(log, c.name, dir);
    rows.push({
      log: c.name,
      strategy: 'markov',
      events: markov.originalEvents,
      trainSeconds: (performance.now() - started) / 1000,
      failed: markov.report.failed,
      effects: effects(markov),
    });
    process.stderr.write(`${c.name}: ${markov.originalEvents} events; markov fails [${markov.report.failed.join(', ')}]\n`);
    for (const strategy of strategies) {
      process.stderr.write(`${c.name}: training ${strategy} …\n`);
      started = performance.now();
      const neural = await synthesize(markov.original, markov.originalEvents, c.name, dir, strategy);
      const e = effects(neural);
      const baseline = effects(markov);
      const newlyFailed = neural.report.failed.filter((p) => !markov.report.failed.includes(p));
      const asFaithful = newlyFailed.length === 0 && ['template-mix', 'transitions'].every((p) => (e[p] ?? Infinity) <= (baseline[p] ?? 0) + 0.01);
      rows.push({
        log: c.name,
        strategy,
        events: neural.syntheticEvents,
        trainSeconds: (performance.now() - started) / 1000,
        failed: neural.report.failed,
        effects: e,
        asFaithful,
      });
      process.stderr.write(
        `${c.name}: ${strategy} fails [${neural.report.failed.join(', ')}]; ${asFaithful ? 'as faithful as markov' : 'LESS faithful than markov'}\n`,
      );
    }
  }
  if (rows.length === 0) throw new Error('nothing was captured: start PostgreSQL and MariaDB and install pgbench and sysbench');

  const properties = [...new Set(rows.flatMap((r) => Object.keys(r.effects)))];
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\n${pad('log', 10)}${pad('strategy', 13)}${pad('s', 7)}${properties.map((p) => pad(p, 23)).join('')}verdict`);
  for (const r of rows) {
    const cells = properties.map((p) => pad(`${r.effects[p]?.toFixed(3) ?? '-'}${r.failed.includes(p) ? ' FAIL' : ''}`, 23)).join('');
    const verdict = r.asFaithful === undefined ? '(baseline)' : r.asFaithful ? 'as faithful' : 'less faithful';
    console.log(`${pad(r.log, 10)}${pad(r.strategy, 13)}${pad(r.trainSeconds.toFixed(0), 7)}${cells}${verdict}`);
  }
  const neural = rows.filter((r) => r.asFaithful !== undefined);
  console.log(
    `\nneural runs as faithful as markov: ${neural.filter((r) => r.asFaithful).length} of ${neural.length} (effect sizes: smaller is closer; FAIL: over the default threshold)`,
  );
  writeFileSync(join(out, 'bench-neural-fidelity.json'), JSON.stringify({ when: new Date().toISOString(), rows }, null, 2));
  if (neural.some((r) => !r.asFaithful)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench:neural-fidelity: ${(error as Error).message}`);
  process.exit(1);
});
