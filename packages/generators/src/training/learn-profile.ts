import { StbError, type Dialect, type TraceSource, type TrainOptions } from '@sqltrace/core';
import type { WorkloadProfileJson } from '../model/workload-profile';
import { spreadCoarseTimes } from '../timing/coarse-times';
import { WorkloadProfileBuilder, type SequenceLearner } from './workload-profile-builder';

/** Settings every strategy reads from `TrainOptions.settings`. */
export interface ProfileSettings {
  /** Privacy: a literal is reproduced only if seen at least this often (default 5). */
  readonly minValueCount?: number;
  /** The trace's dialect when its header does not say (default postgres). */
  readonly dialect?: Dialect;
}

export interface LearnedProfile {
  readonly profile: WorkloadProfileJson;
  /** What the user should know about the trace (one session only, no parameters, …). */
  readonly warnings: string[];
}

/**
 * Reads a trace once, learning the shared workload profile while `learner` (the strategy's
 * sequence model) sees every session's template sequence.
 */
export async function learnProfile(trace: TraceSource, options: TrainOptions, learner: SequenceLearner): Promise<LearnedProfile> {
  const settings = (options.settings ?? {}) as ProfileSettings;
  const minValueCount = settings.minValueCount ?? 5;
  if (!Number.isInteger(minValueCount) || minValueCount < 1)
    throw new StbError('E_USAGE', `--min-value-count must be a whole number ≥ 1, got ${String(minValueCount)}`);
  const header = await trace.header?.({ signal: options.signal });
  const dialect = (settings.dialect ?? header?.dialect ?? 'postgres') as Dialect;
  if (dialect !== 'postgres' && dialect !== 'mysql' && dialect !== 'sqlite')
    throw new StbError('E_INPUT', `${trace.name}: unknown dialect "${String(dialect)}" in the trace header`);

  const resolutionUs = header?.resolutionUs ?? 1;
  if (!(typeof resolutionUs === 'number' && Number.isInteger(resolutionUs) && resolutionUs >= 1)) {
    throw new StbError('E_INPUT', `${trace.name}: the trace header's resolutionUs ${JSON.stringify(resolutionUs)} is not a whole number of µs ≥ 1`, {
      hint: 'Correct or remove it',
    });
  }
  const builder = new WorkloadProfileBuilder({ dialect, minValueCount, name: trace.name, resolutionUs }, learner);
  // A time known to a tick is an interval: the statements sharing one are spread over it.
  for await (const event of spreadCoarseTimes(trace.events({ signal: options.signal }), resolutionUs, trace.name)) {
    builder.add(event);
    if (builder.events % 10_000 === 0) options.onEvents?.(builder.events);
  }
  if (builder.events === 0) {
    throw new StbError('E_INPUT', `${trace.name}: the trace has no events — there is nothing to learn`, {
      hint: 'Check that `stb parse` found statements in the log (see its summary)',
    });
  }
  options.onEvents?.(builder.events);
  const profile = builder.finish();
  const warnings: string[] = [];
  if (profile.trace.sessions === 1) warnings.push('the trace has one session: session arrivals and lengths are learned from that one session only');
  if (profile.templates.every((t) => t.slots.length === 0))
    warnings.push('no statement in the trace has parameters: generated statements repeat the trace’s templates as they are');
  if (profile.trace.outOfOrderEvents > profile.trace.transitions / 2) {
    warnings.push(
      `${profile.trace.outOfOrderEvents} of ${profile.trace.transitions} statements ended before the previous one of their session: sequences and think times are learned in file order (was the log exported newest first?)`,
    );
  }
  if (profile.trace.sessions > 0 && profile.trace.censoredSessions === profile.trace.sessions && profile.trace.initialSessions === profile.trace.sessions) {
    warnings.push(
      `all ${profile.trace.sessions} sessions were open from the trace's start to its end: how long sessions live is unknown, so the synthetic sessions stay open for the whole run`,
    );
  }
  if (profile.trace.unalignedEvents > 0)
    warnings.push(`${profile.trace.unalignedEvents} events’ values did not match their template’s slots and were not learned`);
  return { profile, warnings };
}
