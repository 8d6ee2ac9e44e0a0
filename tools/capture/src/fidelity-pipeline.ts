import { join } from 'node:path';
import { TRACE_FORMAT_VERSION, TraceFileSink, TraceFileSource, type TraceEvent } from '@sqltrace/core';
import { defaultRegistry, type NeuralTrainSettings, type WorkloadProfileJson } from '@sqltrace/generators';
import { parseLogsToTrace } from '@sqltrace/parser';
import { WorkloadValidator, type FidelityReportJson } from '@sqltrace/validator';

/** One log through the pipeline a user runs with stb: parse, train, generate as many events, validate. */
export interface Pipeline {
  readonly original: string;
  readonly synthetic: string;
  readonly originalEvents: number;
  readonly syntheticEvents: number;
  readonly report: FidelityReportJson;
  readonly minTs: number;
  /** What the model learnt. */
  readonly profile: WorkloadProfileJson;
}

/** Parse, train (markov), generate as many events, validate: what a user runs with stb. */
export async function pipeline(log: string, name: string, dir: string): Promise<Pipeline> {
  const original = join(dir, `${name}.jsonl`);
  const parsed = await parseLogsToTrace([log], { output: original, threads: 0 });
  return synthesize(original, parsed.events, name, dir, 'markov');
}

/** Train the strategy on a parsed trace, generate as many events, validate against it. */
export async function synthesize(
  original: string,
  events: number,
  name: string,
  dir: string,
  strategy: 'markov' | 'lstm' | 'transformer',
  settings: NeuralTrainSettings = {},
): Promise<Pipeline> {
  const source = new TraceFileSource(original);
  const generator = defaultRegistry().create(strategy);
  const model = await generator.train(source, { settings });
  const profile = (model as unknown as { profile: WorkloadProfileJson }).profile;
  const synthetic = join(dir, `${name}.${strategy}.synthetic.jsonl`);
  const sink = new TraceFileSink(synthetic);
  await sink.writeHeader({ version: TRACE_FORMAT_VERSION, source: 'synthetic', resolutionUs: 1, learnedFromResolutionUs: profile.trace.resolutionUs });
  let batch: TraceEvent[] = [];
  let minTs = Infinity;
  for await (const event of generator.generate(model, { seed: 'fidelity', events })) {
    if (event.ts < minTs) minTs = event.ts;
    batch.push(event);
    if (batch.length === 1_024) {
      await sink.write(batch);
      batch = [];
    }
  }
  await sink.write(batch);
  await sink.close();
  for await (const event of source.events()) if (event.ts < minTs) minTs = event.ts;
  const report = await new WorkloadValidator().compare(source, new TraceFileSource(synthetic));
  return { original, synthetic, originalEvents: events, syntheticEvents: sink.count, report, minTs, profile };
}
