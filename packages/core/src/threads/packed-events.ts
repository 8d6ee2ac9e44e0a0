import type { ParamValue, TraceEvent } from '../domain/trace-event';

/**
 * A batch of events as another thread receives it (the parser's normalizer, a replay's benchmark
 * threads): numbers in one typed array, every string of the batch in one text with their lengths
 * in another, parameters in a sparse array — no object and no string per event. Structured
 * cloning pays per object (every key, and the object rebuilt property by property) and per string
 * (a new string on the other side); one text is one copy, and the receiver cuts the strings out.
 */
export interface PackedEvents {
  readonly count: number;
  /** Per event: ts, durationUs (NaN when absent), flags (1: prepared). */
  readonly numbers: Float64Array;
  /** The strings of every event, one after another. */
  readonly text: string;
  /** Per event, {@link STRINGS} lengths into `text` (session, sql, user, database, application, error, templateId); -1: absent. */
  readonly lengths: Int32Array;
  /** Per event: its bind parameters, or undefined. */
  readonly params: (ParamValue[] | undefined)[];
}

const STRINGS = 7;
const NUMBERS = 3;
const PREPARED = 1;

export function packEvents(events: readonly TraceEvent[]): PackedEvents {
  const count = events.length;
  const numbers = new Float64Array(count * NUMBERS);
  const lengths = new Int32Array(count * STRINGS);
  const params = new Array<ParamValue[] | undefined>(count);
  let text = '';
  const add = (k: number, value: string | undefined): void => {
    if (value === undefined) lengths[k] = -1;
    else {
      lengths[k] = value.length;
      text += value;
    }
  };
  for (let i = 0, s = 0; i < count; i++, s += STRINGS) {
    const e = events[i]!;
    numbers[NUMBERS * i] = e.ts;
    numbers[NUMBERS * i + 1] = e.durationUs === undefined ? NaN : e.durationUs;
    numbers[NUMBERS * i + 2] = e.prepared === true ? PREPARED : 0;
    add(s, e.session);
    add(s + 1, e.sql);
    add(s + 2, e.user);
    add(s + 3, e.database);
    add(s + 4, e.application);
    add(s + 5, e.error);
    add(s + 6, e.templateId);
    if (e.params !== undefined) params[i] = e.params;
  }
  return { count, numbers, text, lengths, params };
}

/** The transferable buffers of a packed batch (postMessage's transfer list). */
export function packedBuffers(packed: PackedEvents): ArrayBuffer[] {
  return [packed.numbers.buffer as ArrayBuffer, packed.lengths.buffer as ArrayBuffer];
}

export function unpackEvents(packed: PackedEvents): TraceEvent[] {
  const { count, numbers, text, lengths, params } = packed;
  const events = new Array<TraceEvent>(count);
  let at = 0;
  const next = (k: number): string | undefined => {
    const length = lengths[k]!;
    if (length < 0) return undefined;
    const value = text.slice(at, at + length);
    at += length;
    return value;
  };
  for (let i = 0, s = 0; i < count; i++, s += STRINGS) {
    const event: TraceEvent = { ts: numbers[NUMBERS * i]!, session: next(s)!, sql: next(s + 1)! };
    const p = params[i];
    if (p !== undefined) event.params = p;
    const durationUs = numbers[NUMBERS * i + 1]!;
    if (!Number.isNaN(durationUs)) event.durationUs = durationUs;
    const user = next(s + 2);
    if (user !== undefined) event.user = user;
    const database = next(s + 3);
    if (database !== undefined) event.database = database;
    const application = next(s + 4);
    if (application !== undefined) event.application = application;
    const error = next(s + 5);
    if (error !== undefined) event.error = error;
    const templateId = next(s + 6);
    if (templateId !== undefined) event.templateId = templateId;
    if (numbers[NUMBERS * i + 2] === PREPARED) event.prepared = true;
    events[i] = event;
  }
  return events;
}
