// @sqltrace/generators — workload models behind the TraceGenerator port (core), with the
// parameter, timing and session models every strategy shares. The public API: the strategies and
// their models, model files, the registry, what a strategy of one's own builds on (learnProfile,
// WorkloadSynthesizer) and model comparison; the JSON types describe model files. Everything
// else (distributions, slot models, the chain, the networks' parts) is internal.
export type { MarkovChainJson } from './markov/markov-chain';
export type { MarkovModelJson } from './markov/markov-model';
export { MARKOV_MODEL_VERSION, MarkovModel } from './markov/markov-model';
export type { MarkovTrainSettings } from './markov/markov-generator';
export { MarkovGenerator } from './markov/markov-generator';

export type { ModelFile } from './model/model-file';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, loadModelFile, saveModelFile } from './model/model-file';
export type { TemplateModelJson, WorkloadProfileJson } from './model/workload-profile';
export type { GeneratorFactory } from './registry/generator-registry';
export { GeneratorRegistry, defaultRegistry } from './registry/generator-registry';

export type { SequenceLearner, SequenceStep, WorkloadProfileOptions } from './training/workload-profile-builder';
export type { LearnedProfile, ProfileSettings } from './training/learn-profile';
export { learnProfile } from './training/learn-profile';
export type { NextStatePredictor, SessionMemory, SynthesisOptions, SynthesisStats } from './synthesis/workload-synthesizer';
export { WorkloadSynthesizer } from './synthesis/workload-synthesizer';

export type { EmpiricalDistributionJson } from './distributions/empirical-distribution';
export type { CategoricalDistributionJson } from './distributions/categorical-distribution';
export type { SlotModelJson } from './params/slot-model';

export type { NeuralGenerateSettings, NeuralTrainSettings } from './neural/neural-generator';
export { MIN_TRAINING_SESSIONS, NeuralGenerator } from './neural/neural-generator';
export type { NeuralModelJson, NeuralTrainingJson } from './neural/neural-model';
export { NEURAL_MODEL_VERSION, NeuralModel } from './neural/neural-model';
export type { NetworkContext, NetworkSpec, NeuralKind } from './neural/network-spec';
export type { SampledFidelity } from './neural/sampled-fidelity';
export type { BatchProgress, EpochReport, NetworkTrainingSettings, NetworkTrainingSummary, TrainingCallbacks } from './neural/network-trainer';
// No TensorFlow.js type in the public API: it is an optional peer (loaded on first use).
export type { BackendChoice, BackendName } from './neural/tensorflow-backend';
export { BACKEND_CHOICES, TENSORFLOW_PACKAGES } from './neural/tensorflow-backend';

export type { NextTemplateScorer, ScoredHistory } from './evaluation/next-template-scorer';
export type { HeldOutSession } from './evaluation/held-out-sessions';
export { collectSessions } from './evaluation/held-out-sessions';
export type { EvaluationOptions, NextTemplateScore } from './evaluation/evaluate-next-template';
export { evaluateNextTemplate } from './evaluation/evaluate-next-template';
export type {
  ComparisonStage,
  FidelityScore,
  ModelComparison,
  ModelComparisonOptions,
  ModelComparisonRow,
  ScoringGenerator,
} from './evaluation/model-comparison';
export { MIN_COMPARISON_SESSIONS, compareModels, isScoringGenerator } from './evaluation/model-comparison';
