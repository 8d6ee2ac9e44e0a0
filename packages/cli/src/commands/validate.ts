import { Args, Flags } from '@oclif/core';
import { checkOutputPath, StbError, TraceFileSource, writeFileAtomic } from '@sqltrace/core';
import { PROPERTY_NAMES, WorkloadValidator, renderHtmlReport, type FidelityReportJson, type PropertyName } from '@sqltrace/validator';
import { table } from '../shared/format';
import { EXIT, StbCommand } from '../shared/stb-command';

export default class Validate extends StbCommand<FidelityReportJson> {
  static override summary = 'Prove a synthetic trace faithful to the original: a fidelity report and an exit code for CI.';
  static override description = `Compares the two traces property by property — template mix, coverage, transitions, n-grams, session length, session inter-arrivals, think times, parameters, arrival rate over time, repetition — each with an effect size, a threshold and, where one applies, a test (p-values Holm-corrected). A property fails when its effect exceeds the threshold and the difference is significant. Exit code 0 when every property passes (and the score reaches --fail-under), 1 when not, 2 on bad input.
--json prints the report (schema sqltrace-fidelity-report v1); --html writes a self-contained page with charts.`;
  static override examples = [
    '<%= config.bin %> validate trace.jsonl synthetic.jsonl',
    '<%= config.bin %> validate trace.jsonl synthetic.jsonl --html report.html --fail-under 0.8',
    '<%= config.bin %> validate trace.jsonl synthetic.jsonl --json > report.json',
    '<%= config.bin %> validate trace.jsonl synthetic.jsonl --threshold think-time=0.2 --threshold template-mix=0.03',
  ];

  static override args = {
    original: Args.string({ description: 'The original trace (stb parse output).', required: true }),
    synthetic: Args.string({ description: 'The trace to judge (stb generate output, or another trace).', required: true }),
  };

  static override flags = {
    html: Flags.string({ summary: 'Write the report as a self-contained HTML page.' }),
    'fail-under': Flags.string({ summary: 'Fail when the overall score (0…1) is below this.' }),
    threshold: Flags.string({ summary: 'Override a property threshold: name=value (repeatable).', multiple: true }),
  };

  async run(): Promise<FidelityReportJson> {
    const { args, flags } = await this.parse(Validate);
    if (flags.html !== undefined) checkOutputPath(flags.html, [args.original, args.synthetic], '--html');
    const failUnder = flags['fail-under'] === undefined ? undefined : Number(flags['fail-under']);
    if (failUnder !== undefined && !(failUnder >= 0 && failUnder <= 1)) throw new StbError('E_USAGE', `--fail-under must be a score between 0 and 1, got ${flags['fail-under']}`);
    const thresholds: Partial<Record<PropertyName, number>> = {};
    for (const t of flags.threshold ?? []) {
      const [name, value] = t.split('=');
      if (!PROPERTY_NAMES.includes(name as PropertyName) || !(Number(value) >= 0)) {
        throw new StbError('E_USAGE', `--threshold ${t}: expected name=value with a value ≥ 0`, { hint: `Properties: ${PROPERTY_NAMES.join(', ')}` });
      }
      thresholds[name as PropertyName] = Number(value);
    }
    const validator = new WorkloadValidator({ thresholds, ...(failUnder !== undefined ? { failUnder } : {}) });
    const report = await validator.compare(new TraceFileSource(args.original), new TraceFileSource(args.synthetic));
    if (flags.html !== undefined) {
      writeFileAtomic(flags.html, renderHtmlReport(report));
    }
    this.say(renderSummary(report));
    if (flags.html !== undefined) this.say(`HTML report written to ${flags.html}`);
    if (!report.passed) process.exitCode = EXIT.failed;
    return report;
  }
}

/** The property table and the verdict line. */
export function renderSummary(report: FidelityReportJson): string {
  const rows = report.properties.map((p) => [
    p.property,
    p.skipped ? '-' : p.effectSize.toFixed(4),
    String(p.threshold),
    p.pAdjusted === undefined ? '-' : p.pAdjusted < 1e-4 ? p.pAdjusted.toExponential(1) : p.pAdjusted.toFixed(4),
    p.skipped ? `skipped (${p.skipped})` : p.passed ? (p.passedAs === 'within-original-variation' ? 'pass (within the original\'s own variation)' : p.passedAs === 'not-significant' ? 'pass (not significant)' : 'pass') : 'FAIL',
  ]);
  const verdict = report.passed ? 'PASS' : `FAIL (${report.failed.length > 0 ? report.failed.join(', ') : `score under ${report.failUnder}`})`;
  return `${table(['property', 'effect', 'threshold', 'p (Holm)', 'verdict'], rows, new Set([1, 2, 3]))}\n\nscore ${report.score.toFixed(3)} — ${verdict}\n${report.original.events.toLocaleString('en')} original events vs ${report.synthetic.events.toLocaleString('en')} synthetic`;
}
