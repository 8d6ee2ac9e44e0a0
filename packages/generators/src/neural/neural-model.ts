import { StbError, type WorkloadModel } from '@sqltrace/core';
import { validateProfile } from '../model/validate-profile';
import type { WorkloadProfileJson } from '../model/workload-profile';
import { specProblem, type NetworkSpec, type NeuralKind } from './network-spec';
import { weightsFromJson, weightsToJson, type NetworkWeights, type WeightJson } from './network-weights';
import type { NetworkTrainingSummary } from './network-trainer';
import type { BackendName } from './tensorflow-backend';

/**
 * Bumped when the neural models' JSON changes incompatibly. 2: session-context LSTMs and
 * transition calibration (a model without either is still written as 1, which older tools read).
 */
export const NEURAL_MODEL_VERSION = 2;

/** How the network was trained, kept in the model for `stb train --json` and comparisons. */
export interface NeuralTrainingJson extends NetworkTrainingSummary {
  readonly backend: BackendName;
  readonly batchSize: number;
  readonly learningRate: number;
}

export interface NeuralModelJson {
  readonly version: number;
  readonly kind: NeuralKind;
  /** Template ids in the network's token order (the profile's template order). */
  readonly vocabulary: readonly string[];
  readonly network: { readonly spec: NetworkSpec; readonly weights: readonly WeightJson[] };
  /**
   * Sessions that began with each template. A session's first statement is drawn from these
   * counts, not the network: starts are one window per session, too rare for it to learn well
   * in traces with long sessions.
   */
  readonly starts: readonly number[];
  /**
   * For each template, the templates that followed it in training. Sampling keeps to these: a
   * network fed its own output can wander where the trace never went (a loop, a jump), and the
   * next template it picks should be one that was seen after the current one.
   */
  readonly successors: readonly (readonly number[])[];
  /** Factors of each successor's probability, aligned with `successors` (session LSTMs; see calibrateTransitions). */
  readonly calibration?: readonly (readonly number[])[];
  readonly training: NeuralTrainingJson;
  readonly profile: WorkloadProfileJson;
  readonly warnings: readonly string[];
}

/** A trained LSTM or transformer workload model: the shared profile plus a next-template network. */
export class NeuralModel implements WorkloadModel {
  readonly formatVersion = NEURAL_MODEL_VERSION;

  constructor(
    readonly strategy: NeuralKind,
    readonly profile: WorkloadProfileJson,
    readonly spec: NetworkSpec,
    readonly weights: NetworkWeights,
    readonly starts: readonly number[],
    readonly successors: readonly (readonly number[])[],
    readonly training: NeuralTrainingJson,
    readonly warnings: readonly string[] = [],
    readonly calibration?: readonly (readonly number[])[],
  ) {}

  toJSON(): NeuralModelJson {
    return {
      version: this.spec.context !== undefined || this.spec.idleInput !== undefined || this.calibration !== undefined ? NEURAL_MODEL_VERSION : 1,
      kind: this.strategy,
      vocabulary: this.profile.templates.map((t) => t.id),
      network: { spec: this.spec, weights: weightsToJson(this.weights) },
      starts: this.starts,
      successors: this.successors,
      ...(this.calibration !== undefined ? { calibration: this.calibration } : {}),
      training: this.training,
      profile: this.profile,
      warnings: this.warnings,
    };
  }

  /**
   * Reads a model's JSON, refusing one of another strategy, a newer version, or a damaged one
   * (missing or misshapen weights, a vocabulary that does not match the templates).
   */
  static fromJSON(value: unknown, kind: NeuralKind, source = 'model'): NeuralModel {
    const json = value as Partial<NeuralModelJson> | null;
    const retrain = { hint: `Retrain it with \`stb train --model ${kind}\`` };
    if (typeof json !== 'object' || json === null || (json.kind !== undefined && json.kind !== kind)) {
      throw new StbError(
        'E_MODEL',
        `${source}: not ${kind === 'lstm' ? 'an LSTM' : 'a transformer'} model${json?.kind !== undefined ? ` (it is ${String(json.kind)})` : ''}`,
        retrain,
      );
    }
    if (typeof json.version !== 'number' || json.version > NEURAL_MODEL_VERSION) {
      throw new StbError('E_MODEL', `${source}: ${kind} model version ${String(json.version)} is newer than this tool reads (${NEURAL_MODEL_VERSION})`, {
        hint: 'Upgrade @sqltrace packages, or retrain the model with this version',
      });
    }
    try {
      const profile = validateProfile(json.profile);
      const spec = json.network?.spec;
      if (spec === undefined) throw new RangeError('the network is missing');
      const problem = specProblem(spec);
      if (problem !== undefined) throw new RangeError(problem);
      if (spec.kind !== kind) throw new RangeError(`the network is ${spec.kind}, not ${kind}`);
      if (spec.templates !== profile.templates.length)
        throw new RangeError(`the network knows ${spec.templates} templates, the profile ${profile.templates.length}`);
      const vocabulary = json.vocabulary;
      if (!Array.isArray(vocabulary) || vocabulary.length !== spec.templates || vocabulary.some((id, i) => id !== profile.templates[i]!.id)) {
        throw new RangeError('the vocabulary does not match the profile’s templates');
      }
      const weights = weightsFromJson(json.network?.weights, spec);
      const starts = json.starts;
      if (!Array.isArray(starts) || starts.length !== spec.templates || !starts.every((c) => Number.isInteger(c) && c >= 0) || !starts.some((c) => c > 0)) {
        throw new RangeError('the session-start counts are missing or invalid');
      }
      const successors = json.successors;
      if (
        !Array.isArray(successors) ||
        successors.length !== spec.templates ||
        !successors.every((list) => Array.isArray(list) && list.every((t) => Number.isInteger(t) && t >= 0 && t < spec.templates))
      ) {
        throw new RangeError('the successor lists are missing or invalid');
      }
      const calibration = json.calibration;
      if (
        calibration !== undefined &&
        (!Array.isArray(calibration) ||
          calibration.length !== spec.templates ||
          !calibration.every(
            (f, a) => Array.isArray(f) && f.length === successors[a]!.length && f.every((x) => typeof x === 'number' && x > 0 && Number.isFinite(x)),
          ))
      ) {
        throw new RangeError('the transition calibration does not match the successor lists');
      }
      if (typeof json.training !== 'object' || json.training === null) throw new RangeError('the training summary is missing');
      return new NeuralModel(
        kind,
        profile,
        spec,
        weights,
        starts,
        successors,
        json.training,
        Array.isArray(json.warnings) ? json.warnings.map(String) : [],
        calibration,
      );
    } catch (error) {
      if (error instanceof StbError) throw error;
      throw new StbError('E_MODEL', `${source}: the ${kind} model is damaged (${(error as Error).message})`, { ...retrain, cause: error });
    }
  }
}
