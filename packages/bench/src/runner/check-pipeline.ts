import { StbError, type Driver } from '@sqltrace/core';
import type { BenchmarkOptions } from './benchmark-runner';

/** A pipeline above 1 is a replay's, on a driver that pipelines. (`driver` undefined: checked where it is loaded.) */
export function checkPipeline(pipeline: number | undefined, mode: BenchmarkOptions['mode'], driver: Driver | undefined): void {
  if (pipeline === undefined || pipeline === 1) return;
  if (!(Number.isInteger(pipeline) && pipeline > 1)) throw new StbError('E_USAGE', `--pipeline must be a whole number ≥ 1, got ${pipeline}`);
  if (mode !== 'replay')
    throw new StbError('E_USAGE', `--pipeline applies to replay mode, not ${mode}`, { hint: 'Drop --pipeline, or replay with --mode replay' });
  if (driver !== undefined && driver.openPipelined === undefined) {
    throw new StbError('E_USAGE', `--pipeline: the ${driver.name} driver runs one statement at a time on a connection`, {
      hint: 'Use --driver postgres, or drop --pipeline',
    });
  }
}
