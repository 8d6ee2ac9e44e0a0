import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceFileSource } from '@sqltrace/core';
import { collectTemplateStats, parseLogsToTrace } from '@sqltrace/parser';
import { int } from '../shared/format';
import { StbCommand } from '../shared/stb-command';
import { renderTemplateTable } from './templates';

export interface DemoResult {
  log: string;
  trace: string;
  events: number;
  sessions: number;
  templates: number;
  parseSeconds: number;
}

export default class Demo extends StbCommand<DemoResult> {
  static override summary = 'Run the pipeline on a bundled sample workload (no database server needed).';
  static override description = `Parses a bundled PostgreSQL log of an online shop (1,500 statements from 184 sessions) into a trace and shows its templates.
Training, generation, validation and replay against embedded SQLite join the demo as those stages land.`;
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json'];

  async run(): Promise<DemoResult> {
    await this.parse(Demo);
    const log = join(this.config.root, 'assets', 'demo', 'shop-postgres.log');
    const trace = join(mkdtempSync(join(tmpdir(), 'stb-demo-')), 'shop.jsonl');
    this.say('SQL Trace Bench demo: an online shop\'s PostgreSQL log → trace → templates\n');
    this.say(`1. parse   ${log}`);
    const parsed = await parseLogsToTrace([log], { output: trace, generator: `stb ${this.config.version}` });
    const s = parsed.inputs[0]!;
    this.say(`           ${s.format}, log_line_prefix '${s.prefix}': ${int(s.totalLines)} lines → ${int(s.events)} statements (${int(s.eventsWithBindParams)} with bind parameters) in ${int(s.sessions)} sessions, ${parsed.seconds.toFixed(2)} s`);
    this.say(`           trace written to ${trace}\n`);
    this.say('2. templates');
    const stats = await collectTemplateStats(new TraceFileSource(trace));
    this.say(renderTemplateTable(stats.templates.slice(0, 12)));
    this.say(`\n${int(stats.templates.length)} templates cover ${int(stats.events)} statements. Next: \`stb templates ${trace}\` for all of them.`);
    return { log, trace, events: stats.events, sessions: stats.sessions, templates: stats.templates.length, parseSeconds: parsed.seconds };
  }
}
