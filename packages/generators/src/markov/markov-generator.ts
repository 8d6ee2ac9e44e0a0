import { StbError, type GenerateOptions, type TraceEvent, type TraceGenerator, type TraceSource, type TrainOptions } from '@sqltrace/core';
import { learnProfile, type ProfileSettings } from '../training/learn-profile';
import { WorkloadSynthesizer } from '../synthesis/workload-synthesizer';
import type { NextTemplateScorer } from '../evaluation/next-template-scorer';
import { END, MarkovChain } from './markov-chain';
import { MarkovModel } from './markov-model';

const UNSEEN = -3;

/** Settings of `train` (through `TrainOptions.settings`). */
export interface MarkovTrainSettings extends ProfileSettings {
  /** Chain order 1…3 (default 1); longer histories back off to shorter ones when unseen. */
  readonly order?: number;
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
    // States are only known as training goes: the chain learns directly and is sized at the end.
    const chain = new MarkovChain(order, 0);
    const { profile, warnings } = await learnProfile(trace, options, { historyLength: order, observe: (history, next) => chain.observe(history, next) });
    chain.declareStates(profile.templates.length);
    return new MarkovModel(profile, chain, warnings);
  }

  /** The chain's next-template probabilities (with back-off), for comparisons with other strategies. */
  async scorer(model: MarkovModel): Promise<NextTemplateScorer> {
    const chain = model.chain;
    const states = chain.states;
    return {
      templateIds: model.profile.templates.map((t) => t.id),
      historyLength: chain.order,
      score: (histories) =>
        histories.map((h) => {
          const p = new Float64Array(states + 1);
          // A template the chain never saw (−1) must not read as the START padding: UNSEEN backs off.
          for (const [s, q] of chain.distribution(h.states.map((s) => (s < 0 ? UNSEEN : s)))) p[s === END ? states : s] = q;
          return p;
        }),
    };
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
    return new WorkloadSynthesizer(
      model.profile,
      { historyLength: chain.order, next: (history, prng, allowed) => chain.drawAllowed(history, prng, allowed) },
      options,
    );
  }
}
