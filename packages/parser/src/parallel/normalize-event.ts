import { type TraceEvent, encodeTraceEvent } from '@sqltrace/core';
import type { Normalizer } from '../normalizer/normalizer';

/** Only DML takes bind parameters everywhere (PostgreSQL refuses them in SET, DDL, utility statements). */
const PARAMETERIZABLE = new Set(['select', 'insert', 'update', 'delete', 'merge']);

/**
 * Adds `templateId` to a raw event and, for DML, splits its literals into `params` (the
 * executable form). Other statements keep their literals inline so they stay executable as is.
 */
export function normalizeEvent(raw: TraceEvent, normalizer: Normalizer): TraceEvent {
  const n = normalizer.normalize(raw.sql, raw.params);
  const dml = PARAMETERIZABLE.has(n.template.kind);
  const event: TraceEvent = { ts: raw.ts, session: raw.session, sql: dml ? n.sql : raw.sql };
  const params = dml ? (n.params.length > 0 ? n.params : undefined) : raw.params;
  if (params !== undefined) event.params = params;
  if (raw.durationUs !== undefined) event.durationUs = raw.durationUs;
  if (raw.user !== undefined) event.user = raw.user;
  if (raw.database !== undefined) event.database = raw.database;
  if (raw.application !== undefined) event.application = raw.application;
  if (raw.error !== undefined) event.error = raw.error;
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
