export { GenerationService, type GenerationRequest, type GenerationObserver, type GenerationSummary, type LoadedModel } from './generation/generation-service';
export { syntheticHeader, type ProfileFacts } from './generation/synthetic-header';
export { BenchmarkService, type BenchmarkRequest, type BenchmarkObserver, type BenchmarkOutcome } from './benchmark/benchmark-service';
export { OptionError } from './errors/option-error';
export { ValidationService, type ValidationRequest } from './validation/validation-service';
export { TrainingService, type TrainingObserver, type TrainingRequest, type TrainingSummary } from './training/training-service';
