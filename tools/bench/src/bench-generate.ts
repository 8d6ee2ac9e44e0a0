/**
 * `npm run bench:generate`: `stb train` and `stb generate` on a large trace (parsed from a
 * deterministic PostgreSQL log of an online shop; 100 MB by default), beside the floor a generator
 * cannot beat: plainly serializing the same number of ready-made events to a JSONL file with the
 * same writer, in a process of its own. Goal: generation at no less than a third of the floor.
 * Prints medians and ratios; writes out/bench-generate.json.
 *
 * Then the strategies side by side: markov, lstm and transformer with their default settings,
 * trained on the first STB_BENCH_STRATEGY_EVENTS events of the same trace (default 200,000; the
 * neural ones for at most STB_BENCH_EPOCHS epochs, default 3), each generating as many events.
 * Goal: ≥ 30,000 events/s for the neural strategies on one core.
 *
 * Options (environment): STB_BENCH_MB (size of the log, default 100), STB_BENCH_RUNS (default 3),
 * STB_BENCH_EVENTS (events to generate, default 1,000,000).
 */
import { createReadStream, createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ensureLog, here, out, repeat, requireBuiltCli, STB } from './bench-inputs';
import { measure } from './measure';

const FLOOR = join(here, 'serialize-floor.mjs');
const MB = Number(process.env.STB_BENCH_MB ?? 100);
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 3);
const EVENTS = Number(process.env.STB_BENCH_EVENTS ?? 1_000_000);
const STRATEGY_EVENTS = Number(process.env.STB_BENCH_STRATEGY_EVENTS ?? 200_000);
const EPOCHS = Number(process.env.STB_BENCH_EPOCHS ?? 3);
const NEURAL_GOAL = 30_000;

/** The header and the first `events` events of a trace, as a trace of their own. */
async function head(trace: string, target: string, events: number): Promise<void> {
  const output = createWriteStream(target);
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(trace), crlfDelay: Infinity })) {
    output.write(`${line}\n`);
    if (++lines > events) break;
  }
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Train each strategy with its defaults on the same events and generate as many: events/s beside Markov's. */
async function strategies(
  trace: string,
): Promise<{ strategy: string; trainSeconds: number; generateSeconds: number; eventsPerSecond: number; backend: string }[]> {
  const part = join(out, `generate-strategies-${STRATEGY_EVENTS}.jsonl`);
  if (!existsSync(part)) await head(trace, part, STRATEGY_EVENTS);
  const rows = [];
  for (const strategy of ['markov', 'lstm', 'transformer']) {
    const model = join(out, `generate-${strategy}.json`);
    const neural = strategy === 'markov' ? [] : ['--epochs', String(EPOCHS)];
    const train = await measure(process.execPath, [STB, 'train', part, '--model', strategy, ...neural, '-o', model, '--json']);
    if (train.code !== 0) throw new Error(`stb train --model ${strategy} failed: ${train.stderr}`);
    const synthetic = join(out, `generate-${strategy}-synthetic.jsonl`);
    const generate = await repeat(
      RUNS,
      () => measure(process.execPath, [STB, 'generate', model, '-o', synthetic, '--events', String(STRATEGY_EVENTS), '--json']),
      `stb generate (${strategy})`,
    );
    const generated = JSON.parse(generate.last.stdout) as { events: number; backend?: string };
    rows.push({
      strategy,
      trainSeconds: train.seconds,
      generateSeconds: generate.seconds,
      eventsPerSecond: generated.events / generate.seconds,
      backend: generated.backend ?? '-',
    });
  }
  return rows;
}

async function main(): Promise<void> {
  requireBuiltCli();
  const log = await ensureLog('pg-stderr', 'bench-generate', MB);
  const trace = join(out, `generate-trace-${MB}MB.jsonl`);
  if (!existsSync(trace)) {
    const parsed = await measure(process.execPath, [STB, 'parse', log.path, '-o', trace, '--json']);
    if (parsed.code !== 0) throw new Error(`stb parse failed: ${parsed.stderr}`);
  }
  const model = join(out, 'generate-model.json');
  const train = await repeat(RUNS, () => measure(process.execPath, [STB, 'train', trace, '-o', model, '--json']), 'stb train');
  const trained = JSON.parse(train.last.stdout) as { events: number; sessions: number; templates: number };

  const synthetic = join(out, 'generate-synthetic.jsonl');
  const generate = await repeat(
    RUNS,
    () => measure(process.execPath, [STB, 'generate', model, '-o', synthetic, '--events', String(EVENTS), '--json']),
    'stb generate',
  );
  const generated = JSON.parse(generate.last.stdout) as { events: number };

  // The floor: the same number of events (cycled from the generated file's first 20,000) written
  // with the same TraceFileSink by a node process doing nothing else.
  const floorOut = join(out, 'generate-floor.jsonl');
  const floor = await repeat(RUNS, () => measure(process.execPath, [FLOOR, synthetic, floorOut, String(generated.events)]), 'serialize floor');

  const genRate = generated.events / generate.seconds;
  const floorRate = generated.events / floor.seconds;
  const ratio = genRate / floorRate;
  const rows = [
    {
      step: 'stb train',
      input: `${trained.events.toLocaleString('en')} events, ${trained.sessions.toLocaleString('en')} sessions, ${trained.templates} templates`,
      seconds: train.seconds,
      eventsPerSecond: trained.events / train.seconds,
      peakMB: train.peakMB,
    },
    {
      step: 'stb generate',
      input: `${generated.events.toLocaleString('en')} events to JSONL`,
      seconds: generate.seconds,
      eventsPerSecond: genRate,
      peakMB: generate.peakMB,
    },
    {
      step: 'serialize floor',
      input: `${generated.events.toLocaleString('en')} ready-made events to JSONL`,
      seconds: floor.seconds,
      eventsPerSecond: floorRate,
      peakMB: floor.peakMB,
    },
  ];
  const w = (s: string, n: number) => s.padEnd(n);
  console.log(`\nbench:generate — ${MB} MB PostgreSQL log, medians of ${RUNS} runs (process start included)\n`);
  console.log(`${w('step', 17)}${w('input', 58)}${w('seconds', 10)}${w('events/s', 12)}peak MB`);
  for (const r of rows)
    console.log(
      `${w(r.step, 17)}${w(r.input, 58)}${w(r.seconds.toFixed(2), 10)}${w(Math.round(r.eventsPerSecond).toLocaleString('en'), 12)}${r.peakMB.toFixed(0)}`,
    );
  console.log(`\ngeneration / floor = ${ratio.toFixed(2)} (goal ≥ 0.33: ${ratio >= 1 / 3 ? 'met' : 'NOT met'})`);

  const byStrategy = await strategies(trace);
  const markov = byStrategy[0]!.eventsPerSecond;
  console.log(
    `\nstrategies — the first ${STRATEGY_EVENTS.toLocaleString('en')} events, defaults (neural: ≤ ${EPOCHS} epochs), generating as many; medians of ${RUNS} runs (process start included)\n`,
  );
  console.log(`${w('strategy', 13)}${w('train s', 10)}${w('generate s', 12)}${w('events/s', 12)}${w('÷ markov', 10)}network`);
  for (const r of byStrategy)
    console.log(
      `${w(r.strategy, 13)}${w(r.trainSeconds.toFixed(1), 10)}${w(r.generateSeconds.toFixed(2), 12)}${w(Math.round(r.eventsPerSecond).toLocaleString('en'), 12)}${w((r.eventsPerSecond / markov).toFixed(2), 10)}${r.backend}`,
    );
  for (const r of byStrategy.slice(1))
    console.log(
      `${r.strategy}: ${Math.round(r.eventsPerSecond).toLocaleString('en')} events/s (goal ≥ ${NEURAL_GOAL.toLocaleString('en')}: ${r.eventsPerSecond >= NEURAL_GOAL ? 'met' : 'NOT met'})`,
    );
  writeFileSync(
    join(out, 'bench-generate.json'),
    JSON.stringify({ mb: MB, runs: RUNS, events: generated.events, rows, ratio, goal: 1 / 3, strategies: byStrategy, neuralGoal: NEURAL_GOAL }, null, 2),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
