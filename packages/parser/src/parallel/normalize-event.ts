import { type TraceEvent, encodeTraceEvent } from '@sqltrace/core';
import type { Normalizer } from '../normalizer/normalizer';
import { maskPasswordLiterals } from '../normalizer/password-literals';

/** Only DML takes bind parameters everywhere (PostgreSQL refuses them in SET, DDL, utility statements). */
const PARAMETERIZABLE = new Set(['select', 'insert', 'update', 'delete', 'merge']);

/**
 * Adds `templateId` to an event (in place: events reach it freshly parsed or freshly cloned)
 * and, for DML, splits its literals into `params` (the executable form). Other statements keep
 * their literals inline so they stay executable as is — but for passwords, which become '***'.
 * A prepared statement keeps the text and values its client prepared and sent (a replay
 * prepares the same statement).
 */
export function normalizeEvent(event: TraceEvent, normalizer: Normalizer): TraceEvent {
  const n = normalizer.normalize(event.sql, event.params);
  if (event.prepared === true) {
    // Its literals are the client's own text; the values it sent are in `params` already.
    if (!PARAMETERIZABLE.has(n.template.kind)) event.sql = maskPasswordLiterals(event.sql);
  } else if (PARAMETERIZABLE.has(n.template.kind)) {
    event.sql = n.sql;
    event.params = n.params.length > 0 ? n.params : undefined;
  } else {
    // Kept inline, so a password would be kept with it.
    event.sql = maskPasswordLiterals(event.sql);
  }
  event.templateId = n.template.id;
  return event;
}

/** Normalizes a batch and encodes it as JSON lines; reports template ids not seen before. */
export function normalizeAndEncode(raws: readonly TraceEvent[], normalizer: Normalizer, seen: Set<string>): { text: string; newTemplates: string[] } {
  let text = '';
  const newTemplates: string[] = [];
  for (let i = 0; i < raws.length; i++) {
    const event = normalizeEvent(raws[i]!, normalizer);
    if (!seen.has(event.templateId!)) {
      seen.add(event.templateId!);
      newTemplates.push(event.templateId!);
    }
    text += encodeTraceEvent(event) + '\n';
  }
  return { text, newTemplates };
}
