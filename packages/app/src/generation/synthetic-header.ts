import { TRACE_FORMAT_VERSION, type TraceHeader } from '@sqltrace/core';

/** What a model file says of the trace it was learned from (every strategy keeps a profile). */
export interface ProfileFacts {
  readonly dialect?: string;
  readonly trace?: { readonly resolutionUs?: number };
}

/**
 * The header of a synthetic trace: its times are exact (µs), and it says which clock the trace
 * its model learned from had.
 */
export function syntheticHeader(profile: ProfileFacts | undefined, generator: string, seed: string): TraceHeader {
  const learnedFrom = profile?.trace?.resolutionUs;
  return {
    version: TRACE_FORMAT_VERSION,
    source: 'synthetic',
    ...(profile?.dialect ? { dialect: profile.dialect } : {}),
    generator,
    seed,
    resolutionUs: 1,
    ...(learnedFrom !== undefined ? { learnedFromResolutionUs: learnedFrom } : {}),
  };
}
