import type { Dialect, StatementKind, TraceSource } from '@sqltrace/core';
import { DistinctCounter } from './distinct-counter';
import { DurationHistogram } from './duration-histogram';
import { Normalizer } from './normalizer/normalizer';

/** One row of `stb templates`. */
export interface TemplateStat {
  readonly id: string;
  readonly text: string;
  readonly kind: StatementKind;
  readonly tables: { readonly read: readonly string[]; readonly written: readonly string[] };
  readonly count: number;
  /** Share of all events, in [0, 1]. */
  readonly share: number;
  /** Milliseconds; null when the trace has no durations for it. */
  readonly meanMs: number | null;
  readonly p95Ms: number | null;
  readonly errors: number;
}

export interface TemplateStats {
  readonly events: number;
  readonly sessions: number;
  readonly templates: readonly TemplateStat[];
}

interface Accumulator {
  id: string;
  text: string;
  kind: StatementKind;
  tables: { read: readonly string[]; written: readonly string[] };
  count: number;
  errors: number;
  durations: DurationHistogram;
}

/**
 * Groups a trace by template (streaming; memory grows with templates, not events), most
 * frequent first. Events without a `templateId` are normalized here.
 */
export async function collectTemplateStats(source: TraceSource, options: { dialect?: Dialect; signal?: AbortSignal } = {}): Promise<TemplateStats> {
  const header = await source.header?.({ signal: options.signal });
  const dialect = options.dialect ?? (header?.dialect as Dialect | undefined) ?? 'postgres';
  const normalizer = new Normalizer({ dialect });
  const byId = new Map<string, Accumulator>();
  const sessions = new DistinctCounter();
  let events = 0;
  for await (const event of source.events({ signal: options.signal })) {
    events++;
    sessions.add(event.session);
    let acc = event.templateId === undefined ? undefined : byId.get(event.templateId);
    if (acc === undefined) {
      const template = normalizer.normalize(event.sql, event.params).template;
      const id = event.templateId ?? template.id;
      acc = byId.get(id);
      if (acc === undefined) {
        acc = {
          id,
          text: template.text,
          kind: template.kind,
          tables: template.tables ?? { read: [], written: [] },
          count: 0,
          errors: 0,
          durations: new DurationHistogram(),
        };
        byId.set(id, acc);
      }
    }
    acc.count++;
    if (event.error !== undefined) acc.errors++;
    if (event.durationUs !== undefined) acc.durations.record(event.durationUs);
  }
  const templates = [...byId.values()]
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))
    .map((a): TemplateStat => ({
      id: a.id,
      text: a.text,
      kind: a.kind,
      tables: a.tables,
      count: a.count,
      share: events === 0 ? 0 : a.count / events,
      meanMs: a.durations.count === 0 ? null : round3(a.durations.mean / 1000),
      p95Ms: a.durations.count === 0 ? null : round3(a.durations.quantile(0.95) / 1000),
      errors: a.errors,
    }));
  return { events, sessions: sessions.size, templates };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
