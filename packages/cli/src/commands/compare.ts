import { readFileSync } from 'node:fs';
import { Args } from '@oclif/core';
import { StbError } from '@sqltrace/core';
import { RESULTS_SCHEMA, renderComparison, type BenchResults } from '@sqltrace/bench';
import { StbCommand } from '../shared/stb-command';

export interface CompareResult {
  runs: { name: string; mode: string; driver: string; throughput: number; responseP99: number }[];
}

export default class Compare extends StbCommand<CompareResult> {
  static override summary = 'Show benchmark runs side by side, with each run’s change against the first.';
  static override examples = ['<%= config.bin %> compare before.json after.json', '<%= config.bin %> compare original.json synthetic.json --json'];
  static override strict = false;
  static override args = {
    results: Args.string({ description: 'Results files written by `stb bench -o` (two or more).', required: true }),
  };

  async run(): Promise<CompareResult> {
    const { argv } = await this.parse(Compare);
    const files = argv as string[];
    if (files.length < 2) throw new StbError('E_USAGE', 'compare needs at least two results files', { hint: 'stb compare a.json b.json' });
    const runs = files.map((file) => ({ name: file.replace(/^.*\//, '').replace(/\.json$/, ''), results: load(file) }));
    for (const r of runs) if (r.results.label) r.name = r.results.label;
    this.say(renderComparison(runs));
    return { runs: runs.map((r) => ({ name: r.name, mode: r.results.mode, driver: r.results.driver, throughput: r.results.throughput, responseP99: r.results.responseTime.p99 })) };
  }
}

function load(file: string): BenchResults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StbError('E_IO', `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read'}`);
  }
  let json: Partial<BenchResults>;
  try {
    json = JSON.parse(text) as Partial<BenchResults>;
  } catch {
    throw new StbError('E_INPUT', `${file}: not JSON`, { hint: 'Pass results written by `stb bench -o`' });
  }
  if (json.schema !== RESULTS_SCHEMA) throw new StbError('E_INPUT', `${file}: not benchmark results (no "schema": "${RESULTS_SCHEMA}")`, { hint: 'Pass results written by `stb bench -o`' });
  return json as BenchResults;
}
