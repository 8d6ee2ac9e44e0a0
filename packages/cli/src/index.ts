import Demo from './commands/demo';
import Parse from './commands/parse';
import Templates from './commands/templates';

/** Every `stb` command, for oclif's explicit command discovery (one bundle, no directory scan). */
export const COMMANDS = {
  parse: Parse,
  templates: Templates,
  demo: Demo,
};

export type { DemoResult } from './commands/demo';
export type { ParseResult } from './commands/parse';
export type { TemplatesResult } from './commands/templates';
