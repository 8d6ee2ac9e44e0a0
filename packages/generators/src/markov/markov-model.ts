import { StbError, type WorkloadModel } from '@sqltrace/core';
import { validateProfile } from '../model/validate-profile';
import type { WorkloadProfileJson } from '../model/workload-profile';
import { MarkovChain, type MarkovChainJson } from './markov-chain';

/** Bumped when the Markov model's JSON changes incompatibly. */
export const MARKOV_MODEL_VERSION = 1;

export interface MarkovModelJson {
  readonly version: number;
  readonly profile: WorkloadProfileJson;
  readonly chain: MarkovChainJson;
  /** What training noticed (one session only, no parameters, …). */
  readonly warnings: readonly string[];
}

/** A trained Markov workload model: the shared profile plus an order-k chain over its templates. */
export class MarkovModel implements WorkloadModel {
  readonly strategy = 'markov';
  readonly formatVersion = MARKOV_MODEL_VERSION;

  constructor(
    readonly profile: WorkloadProfileJson,
    readonly chain: MarkovChain,
    readonly warnings: readonly string[] = [],
  ) {}

  toJSON(): MarkovModelJson {
    return { version: MARKOV_MODEL_VERSION, profile: this.profile, chain: this.chain.toJSON(), warnings: this.warnings };
  }

  /** Reads a model's JSON, refusing a newer version or a damaged model with a message naming `source`. */
  static fromJSON(value: unknown, source = 'model'): MarkovModel {
    const json = value as Partial<MarkovModelJson> | null;
    if (typeof json !== 'object' || json === null)
      throw new StbError('E_MODEL', `${source}: not a Markov model`, { hint: 'Retrain it with `stb train --model markov`' });
    if (typeof json.version !== 'number' || json.version > MARKOV_MODEL_VERSION) {
      throw new StbError('E_MODEL', `${source}: Markov model version ${String(json.version)} is newer than this tool reads (${MARKOV_MODEL_VERSION})`, {
        hint: 'Upgrade @sqltrace packages, or retrain the model with this version',
      });
    }
    try {
      const profile = validateProfile(json.profile);
      if (typeof json.chain !== 'object' || json.chain === null) throw new RangeError('the chain is missing');
      const chain = MarkovChain.fromJSON(json.chain);
      if (chain.states !== profile.templates.length) throw new RangeError(`the chain has ${chain.states} states for ${profile.templates.length} templates`);
      return new MarkovModel(profile, chain, Array.isArray(json.warnings) ? json.warnings.map(String) : []);
    } catch (error) {
      if (error instanceof StbError) throw error;
      throw new StbError('E_MODEL', `${source}: the model is damaged (${(error as Error).message})`, { hint: 'Retrain it with `stb train`', cause: error });
    }
  }
}
