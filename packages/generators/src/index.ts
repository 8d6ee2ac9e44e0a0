// @sqltrace/generators — work in progress (issue #3): the building blocks below are done and
// tested; the trainer, the generator and the timing/parameter models are not yet (see README).
export type { MarkovChainJson } from './markov/markov-chain';
export { END, MarkovChain, START } from './markov/markov-chain';
export type { ModelFile } from './model/model-file';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, loadModelFile, saveModelFile } from './model/model-file';
export type { GeneratorFactory } from './registry/generator-registry';
export { GeneratorRegistry } from './registry/generator-registry';
export type { EmpiricalDistributionJson } from './distributions/empirical-distribution';
export { EmpiricalDistribution } from './distributions/empirical-distribution';
export type { CategoricalDistributionJson } from './distributions/categorical-distribution';
export { CategoricalDistribution, drawCategorical } from './distributions/categorical-distribution';
