import { StbError, type TraceGenerator } from '@sqltrace/core';
import { MarkovGenerator } from '../markov/markov-generator';
import { NeuralGenerator } from '../neural/neural-generator';

/** Creates a strategy instance (one per train/generate run). */
export type GeneratorFactory = () => TraceGenerator;

/**
 * Workload-model strategies by name (`markov`, `lstm`, `transformer`), so the CLI and
 * third parties choose one with a string and add their own without touching this package.
 */
export class GeneratorRegistry {
  readonly #factories = new Map<string, GeneratorFactory>();

  register(name: string, factory: GeneratorFactory): this {
    if (this.#factories.has(name)) throw new StbError('E_USAGE', `a generator named "${name}" is already registered`);
    this.#factories.set(name, factory);
    return this;
  }

  has(name: string): boolean {
    return this.#factories.has(name);
  }

  names(): string[] {
    return [...this.#factories.keys()].sort();
  }

  create(name: string): TraceGenerator {
    const factory = this.#factories.get(name);
    if (factory === undefined) {
      throw new StbError('E_USAGE', `no workload model named "${name}"`, { hint: `Choose one of: ${this.names().join(', ') || '(none registered)'}` });
    }
    return factory();
  }
}

/** A registry with the built-in strategies (`markov`, `lstm`, `transformer`). */
export function defaultRegistry(): GeneratorRegistry {
  return new GeneratorRegistry()
    .register('markov', () => new MarkovGenerator())
    .register('lstm', () => new NeuralGenerator('lstm'))
    .register('transformer', () => new NeuralGenerator('transformer'));
}
