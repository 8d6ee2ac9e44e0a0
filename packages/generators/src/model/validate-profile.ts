import { DIALECTS } from '@sqltrace/core';
import type { WorkloadProfileJson } from './workload-profile';

/**
 * Checks the shape of a profile read from a file, throwing a RangeError that names the first
 * damaged field. (Deeper damage — a bad distribution, a template whose slots do not match — is
 * caught when the samplers are built from it.)
 */
export function validateProfile(value: unknown): WorkloadProfileJson {
  const p = value as Partial<WorkloadProfileJson> | null;
  if (typeof p !== 'object' || p === null) throw new RangeError('profile is not an object');
  if (!DIALECTS.includes(p.dialect as never)) throw new RangeError(`unknown dialect ${JSON.stringify(p.dialect)}`);
  if (!isCount(p.minValueCount)) throw new RangeError('minValueCount is not a count');
  const trace = p.trace;
  if (
    typeof trace !== 'object' ||
    trace === null ||
    !isCount(trace.events) ||
    !isCount(trace.sessions) ||
    !Number.isFinite(trace.firstTs) ||
    !Number.isFinite(trace.meanConcurrency)
  ) {
    throw new RangeError('trace summary is missing or damaged');
  }
  if (!Array.isArray(p.templates)) throw new RangeError('templates is not a list');
  p.templates.forEach((t, i) => {
    if (typeof t?.id !== 'string' || typeof t.text !== 'string' || !Array.isArray(t.slots) || !Array.isArray(t.params) || !isCount(t.count)) {
      throw new RangeError(`template #${i} is damaged`);
    }
    if (t.style !== 'params' && t.style !== 'inline') throw new RangeError(`template #${i} has an unknown style`);
  });
  const arrivals = p.arrivals;
  if (typeof arrivals !== 'object' || arrivals === null || !(arrivals.binUs > 0) || !Array.isArray(arrivals.counts) || !arrivals.counts.every(isCount)) {
    throw new RangeError('arrival curve is damaged');
  }
  if (
    arrivals.repeats !== undefined &&
    (!Array.isArray(arrivals.repeats) ||
      arrivals.repeats.length !== arrivals.counts.length ||
      !arrivals.repeats.every((r, i) => isCount(r) && r <= arrivals.counts[i]!))
  ) {
    throw new RangeError("arrival curve repeats are damaged (one count per bin, none above the bin's arrivals)");
  }
  // Counts a trace of this size cannot have had (a huge one would be drawn, arrival by arrival,
  // into memory: found by fuzzing the model loader).
  if (arrivals.counts.reduce((a, b) => a + b, 0) > trace.sessions)
    throw new RangeError(`arrival curve counts more sessions than the trace had (${trace.sessions})`);
  const population = p.population;
  if (population !== undefined) {
    if (
      typeof population !== 'object' ||
      population === null ||
      !isCount(population.initialCount) ||
      !isCount(population.censoredAtEnd) ||
      !Array.isArray(population.initialOffsets) ||
      !population.initialOffsets.every(Number.isFinite)
    ) {
      throw new RangeError('session population is damaged');
    }
    if (population.initialCount > trace.sessions || population.initialOffsets.length > population.initialCount)
      throw new RangeError(`session population counts more sessions open at the start than the trace had (${trace.sessions})`);
  }
  if (typeof p.sessionEnds?.byState !== 'object' || p.sessionEnds.byState === null) throw new RangeError('session ends are missing');
  if (typeof p.thinkTime?.all !== 'object' || typeof p.thinkTime.byState !== 'object' || typeof p.thinkTime.byTransition !== 'object')
    throw new RangeError('think times are missing');
  if (!Number.isFinite(p.transactionLength)) throw new RangeError('transactionLength is not a number');
  if (!Array.isArray(p.sessionAttributes) || !p.sessionAttributes.every((a) => Array.isArray(a) && a.length === 4 && isCount(a[3]))) {
    throw new RangeError('session attributes are damaged');
  }
  return p as WorkloadProfileJson;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}
