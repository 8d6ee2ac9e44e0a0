import { Args, Flags } from '@oclif/core';
import { type Dialect, TraceFileSource } from '@sqltrace/core';
import { type TemplateStat, collectTemplateStats } from '@sqltrace/parser';
import { int, table, truncate } from '../shared/format';
import { StbCommand } from '../shared/stb-command';

export interface TemplatesResult {
  events: number;
  sessions: number;
  templateCount: number;
  templates: TemplateStat[];
}

export default class Templates extends StbCommand<TemplatesResult> {
  static override summary = 'Show the statement templates of a trace: count, share, duration, tables.';
  static override description = 'Statements that differ only in literal values share a template; IN-lists and multi-row VALUES collapse whatever their length.';
  static override examples = ['<%= config.bin %> templates trace.jsonl --top 10', '<%= config.bin %> templates trace.jsonl.gz --json'];

  static override args = {
    trace: Args.string({ description: 'Trace file written by `stb parse` (or - for stdin).', required: true }),
  };

  static override flags = {
    top: Flags.integer({ char: 'n', summary: 'Show the N most frequent templates (0 for all).', default: 20 }),
    dialect: Flags.string({ summary: 'Dialect for events without a templateId (default: from the trace header).', options: ['postgres', 'mysql', 'sqlite'] }),
  };

  async run(): Promise<TemplatesResult> {
    const { args, flags } = await this.parse(Templates);
    const stats = await collectTemplateStats(new TraceFileSource(args.trace), { dialect: flags.dialect as Dialect | undefined });
    const shown = flags.top > 0 ? stats.templates.slice(0, flags.top) : stats.templates;
    this.say(renderTemplateTable(shown));
    this.say(
      `\n${int(stats.events)} events, ${int(stats.sessions)} sessions, ${int(stats.templates.length)} templates${shown.length < stats.templates.length ? ` (top ${shown.length} shown)` : ''}`,
    );
    return { events: stats.events, sessions: stats.sessions, templateCount: stats.templates.length, templates: [...shown] };
  }
}

export function renderTemplateTable(templates: readonly TemplateStat[], width = process.stdout.columns ?? 160): string {
  const rows = templates.map((t, k) => [
    String(k + 1),
    t.id,
    t.kind,
    int(t.count),
    `${(t.share * 100).toFixed(1)}%`,
    t.meanMs === null ? '-' : t.meanMs.toFixed(3),
    t.p95Ms === null ? '-' : t.p95Ms.toFixed(3),
    truncate([...t.tables.written.map((n) => `${n}*`), ...t.tables.read].join(',') || '-', 28),
    t.text,
  ]);
  const fixed = rows.reduce(
    (w, r) =>
      Math.max(
        w,
        r.slice(0, -1).reduce((n, c) => n + c.length + 2, 0),
      ),
    80,
  );
  const textWidth = Math.max(40, width - fixed);
  for (const r of rows) r[8] = truncate(r[8]!, textWidth);
  return table(['#', 'template', 'kind', 'count', 'share', 'mean ms', 'p95 ms', 'tables (*written)', 'text'], rows, new Set([0, 3, 4, 5, 6]));
}
