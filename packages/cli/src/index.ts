import Bench from './commands/bench';
import Compare from './commands/compare';
import CompareModels from './commands/compare-models';
import Demo from './commands/demo';
import Generate from './commands/generate';
import Parse from './commands/parse';
import Serve from './commands/serve';
import Templates from './commands/templates';
import Train from './commands/train';
import Validate from './commands/validate';

/** Every `stb` command, for oclif's explicit command discovery (one bundle, no directory scan). */
export const COMMANDS = {
  parse: Parse,
  templates: Templates,
  train: Train,
  generate: Generate,
  validate: Validate,
  bench: Bench,
  compare: Compare,
  'compare-models': CompareModels,
  demo: Demo,
  serve: Serve,
};

export type { DemoResult } from './commands/demo';
export type { ParseResult } from './commands/parse';
export type { TemplatesResult } from './commands/templates';
export type { TrainResult } from './commands/train';
export type { GenerateResult } from './commands/generate';
export type { FidelityReportJson as ValidateResult } from '@sqltrace/validator';
export type { BenchResults } from '@sqltrace/bench';
export type { CompareResult } from './commands/compare';
export type { CompareModelsResult } from './commands/compare-models';
