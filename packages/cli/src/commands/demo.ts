import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerationService, ValidationService } from '@sqltrace/app';
import { TraceFileSource, writeFileAtomic } from '@sqltrace/core';
import { MarkovGenerator, saveModelFile } from '@sqltrace/generators';
import { BenchmarkRunner, renderResultsSummary } from '@sqltrace/bench';
import { SqliteDriver } from '@sqltrace/driver-sqlite';
import { renderSummary } from './validate';
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
  model: string;
  synthetic: string;
  syntheticEvents: number;
  syntheticSessions: number;
  score: number;
  passed: boolean;
  failed: string[];
  report: string;
  replay: { operations: number; errors: number; throughput: number; responseP99Ms: number; scheduleLagP99Ms: number; results: string };
}

export default class Demo extends StbCommand<DemoResult> {
  static override summary = 'Run the pipeline on a bundled sample workload (no database server needed).';
  static override description = `Parses a bundled PostgreSQL log of an online shop (1,500 statements from 184 sessions) into a trace, shows its templates, trains a Markov workload model on it, generates a synthetic trace of the same size and validates it against the original.
Replay against embedded SQLite joins the demo when the bench stage lands.`;
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json'];

  async run(): Promise<DemoResult> {
    await this.parse(Demo);
    const log = join(this.config.root, 'assets', 'demo', 'shop-postgres.log');
    const work = mkdtempSync(join(tmpdir(), 'stb-demo-'));
    const trace = join(work, 'shop.jsonl');
    const modelPath = join(work, 'shop-model.json');
    const synthetic = join(work, 'shop-synthetic.jsonl');
    this.say("SQL Trace Bench demo: an online shop's PostgreSQL log → trace → templates → model → synthetic trace → fidelity report → replay on SQLite\n");
    this.say(`1. parse     ${log}`);
    const parsed = await parseLogsToTrace([log], { output: trace, generator: `stb ${this.config.version}` });
    const s = parsed.inputs[0]!;
    this.say(
      `             ${s.format}, log_line_prefix '${s.prefix}': ${int(s.totalLines)} lines → ${int(s.events)} statements (${int(s.eventsWithBindParams)} with bind parameters) in ${int(s.sessions)} sessions, ${parsed.seconds.toFixed(2)} s`,
    );
    this.say(`             trace written to ${trace}\n`);
    this.say('2. templates');
    const stats = await collectTemplateStats(new TraceFileSource(trace));
    this.say(renderTemplateTable(stats.templates.slice(0, 12)));
    this.say(`\n             ${int(stats.templates.length)} templates cover ${int(stats.events)} statements (all of them: stb templates ${trace})\n`);

    this.say('3. train     a Markov model (order 1): template chain, parameters per slot, arrivals, think times');
    const generator = new MarkovGenerator();
    const model = await generator.train(new TraceFileSource(trace));
    await saveModelFile(modelPath, generator.name, model.toJSON());
    const reused = model.profile.templates.filter((t) => t.reuse !== undefined).length;
    this.say(
      `             ${int(model.profile.templates.length)} templates, ${int(Object.keys(model.chain.toJSON().transitions).length)} chain histories, ${reused} templates reuse values of earlier statements; literals kept only if seen ≥ ${model.profile.minValueCount} times`,
    );
    this.say(`             model written to ${modelPath}\n`);

    this.say(`4. generate  ${int(stats.events)} synthetic events (seed 1)`);
    const samples: string[] = [];
    const generated = await new GenerationService().generate(
      { strategy: generator.name, generator, model, profile: model.profile },
      { output: synthetic, events: stats.events, seed: '1', writtenBy: `stb ${this.config.version}` },
      {
        onBatch: (batch) => {
          for (const e of batch)
            if (samples.length < 5 && e.session === batch[0]!.session) samples.push(`${e.sql}${e.params ? `  -- ${JSON.stringify(e.params)}` : ''}`);
        },
      },
    );
    this.say(`             ${int(generated.events)} events in ${int(generated.sessions)} sessions written to ${synthetic}`);
    this.say('             the first synthetic session begins:');
    for (const line of samples) this.say(`               ${line.length > 150 ? line.slice(0, 149) + '…' : line}`);

    this.say('\n5. validate  the synthetic trace against the original, property by property');
    const html = join(work, 'fidelity.html');
    const report = await new ValidationService().validate({ original: trace, synthetic, html });
    this.say(renderSummary(report).replace(/^/gm, '             '));
    this.say(`             HTML report: ${html}`);

    this.say("\n6. replay    the original trace against embedded SQLite (the shop's schema and data, built by the demo), at its own speed");
    const driver = new SqliteDriver({ url: `sqlite:${join(work, 'shop.db')}`, sourceDialect: 'postgres' });
    const schema = readFileSync(join(this.config.root, 'assets', 'demo', 'shop-schema.sqlite.sql'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('--'));
    await driver.prepare!(schema);
    const results = await new BenchmarkRunner({ driver, target: 'sqlite (demo)', mode: 'replay', label: 'demo replay' }).run(new TraceFileSource(trace));
    await driver.destroy();
    const resultsPath = join(work, 'replay-results.json');
    writeFileAtomic(resultsPath, JSON.stringify(results, null, 1));
    this.say(renderResultsSummary(results, 8).replace(/^/gm, '             '));
    this.say(`             results: ${resultsPath}`);
    this.say(`\nNext: stb generate ${modelPath} -o more.jsonl --events 100000 --sessions 50 --seed 7`);
    this.say(`      stb bench ${synthetic} --driver postgres --url postgres://… -o synthetic.json; stb compare …`);
    return {
      log,
      trace,
      events: stats.events,
      sessions: stats.sessions,
      templates: stats.templates.length,
      parseSeconds: parsed.seconds,
      model: modelPath,
      synthetic,
      syntheticEvents: generated.events,
      syntheticSessions: generated.sessions,
      score: report.score,
      passed: report.passed,
      failed: [...report.failed],
      report: html,
      replay: {
        operations: results.operations,
        errors: results.errors,
        throughput: results.throughput,
        responseP99Ms: results.responseTime.p99,
        scheduleLagP99Ms: results.scheduleLag.p99,
        results: resultsPath,
      },
    };
  }
}
