import { StbError, type Dialect, type GenerateOptions, type TraceEvent, type TraceGenerator, type TraceSource, type TrainOptions } from '@sqltrace/core';
import { WorkloadProfileBuilder } from '../training/workload-profile-builder';
import { WorkloadSynthesizer } from '../synthesis/workload-synthesizer';
import { MarkovChain } from './markov-chain';
import { MarkovModel } from './markov-model';

/** Settings of `train` (through `TrainOptions.settings`). */
export interface MarkovTrainSettings {
  /** Chain order 1…3 (default 1); longer histories back off to shorter ones when unseen. */
  readonly order?: number;
  /** Privacy: a literal is reproduced only if seen at least this often (default 5). */
  readonly minValueCount?: number;
  /** The trace's dialect when its header does not say (default postgres). */
  readonly dialect?: Dialect;
}


/**
 * The Markov strategy: an order-k chain over templates within sessions, on top of the shared
 * workload profile (parameters, timing, session lengths).
 */
export class MarkovGenerator implements TraceGenerator<MarkovModel> {
  readonly name = 'markov';

  async train(trace: TraceSource, options: TrainOptions = {}): Promise<MarkovModel> {
    const settings = (options.settings ?? {}) as MarkovTrainSettings;
    const order = settings.order ?? 1;
    if (!Number.isInteger(order) || order < 1 || order > 3) throw new StbError('E_USAGE', `--order must be 1, 2 or 3, got ${String(order)}`);
    const minValueCount = settings.minValueCount ?? 5;
    if (!Number.isInteger(minValueCount) || minValueCount < 1) throw new StbError('E_USAGE', `--min-value-count must be a whole number ≥ 1, got ${String(minValueCount)}`);
    const header = await trace.header?.({ signal: options.signal });
    const dialect = (settings.dialect ?? header?.dialect ?? 'postgres') as Dialect;
    if (dialect !== 'postgres' && dialect !== 'mysql' && dialect !== 'sqlite') throw new StbError('E_INPUT', `${trace.name}: unknown dialect "${String(dialect)}" in the trace header`);

    // States are only known as training goes: the chain learns directly and is sized at the end.
    const chain = new MarkovChain(order, 0);
    const learner = { historyLength: order, observe: (history: readonly number[], next: number) => chain.observe(history, next) };
    const builder = new WorkloadProfileBuilder({ dialect, minValueCount, name: trace.name }, learner);
    for await (const event of trace.events({ signal: options.signal })) {
      builder.add(event);
      if (builder.events % 10_000 === 0) options.onEvents?.(builder.events);
    }
    if (builder.events === 0) {
      throw new StbError('E_INPUT', `${trace.name}: the trace has no events — there is nothing to learn`, { hint: 'Check that `stb parse` found statements in the log (see its summary)' });
    }
    options.onEvents?.(builder.events);
    const profile = builder.finish();
    chain.declareStates(profile.templates.length);
    const warnings: string[] = [];
    if (profile.trace.sessions === 1) warnings.push('the trace has one session: session arrivals and lengths are learned from that one session only');
    if (profile.templates.every((t) => t.slots.length === 0)) warnings.push('no statement in the trace has parameters: generated statements repeat the trace’s templates as they are');
    if (profile.trace.outOfOrderEvents > profile.trace.transitions / 2) {
      warnings.push(`${profile.trace.outOfOrderEvents} of ${profile.trace.transitions} statements ended before the previous one of their session: sequences and think times are learned in file order (was the log exported newest first?)`);
    }
    if (profile.trace.unalignedEvents > 0) warnings.push(`${profile.trace.unalignedEvents} events’ values did not match their template’s slots and were not learned`);
    return new MarkovModel(profile, chain, warnings);
  }

  loadModel(json: unknown, source: string): MarkovModel {
    return MarkovModel.fromJSON(json, source);
  }

  generate(model: MarkovModel, options: GenerateOptions): AsyncIterable<TraceEvent> {
    return this.synthesizer(model, options).events();
  }

  /** The synthesizer behind `generate`, for callers that want its batches and statistics. */
  synthesizer(model: MarkovModel, options: GenerateOptions): WorkloadSynthesizer {
    const chain = model.chain;
    try {
      return new WorkloadSynthesizer(model.profile, { historyLength: chain.order, next: (history, prng, allowed) => chain.drawAllowed(history, prng, allowed) }, options);
    } catch (error) {
      // The samplers check the distributions, reuse tables and templates as they are built.
      if (error instanceof RangeError) throw new StbError('E_MODEL', `the model is damaged (${error.message})`, { hint: 'Retrain it with `stb train`', cause: error });
      throw error;
    }
  }
}
