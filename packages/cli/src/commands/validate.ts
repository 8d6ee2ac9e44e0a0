import { Args, Flags } from '@oclif/core';
import { OptionError, ValidationService } from '@sqltrace/app';
import { checkOutputPath, StbError } from '@sqltrace/core';
import { PROPERTY_NAMES, type FidelityReportJson } from '@sqltrace/validator';
import { table } from '../shared/format';
import { EXIT, StbCommand } from '../shared/stb-command';

/** The service's option fields as this command's flags. */
const FLAGS: Record<string, string> = { failUnder: '--fail-under', threshold: '--threshold' };

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
    const thresholds: Record<string, number> = {};
    for (const t of flags.threshold ?? []) {
      const [name, value] = t.split('=');
      if (value === undefined || !(Number(value) >= 0))
        throw new StbError('E_USAGE', `--threshold ${t}: expected name=value with a value ≥ 0`, { hint: `Properties: ${PROPERTY_NAMES.join(', ')}` });
      thresholds[name!] = Number(value);
    }
    let report: FidelityReportJson;
    try {
      report = await new ValidationService().validate({
        original: args.original,
        synthetic: args.synthetic,
        thresholds,
        ...(flags['fail-under'] !== undefined ? { failUnder: failUnder(flags['fail-under']) } : {}),
        ...(flags.html !== undefined ? { html: flags.html } : {}),
      });
    } catch (error) {
      throw error instanceof OptionError ? error.named(FLAGS[error.field] ?? `--${error.field}`) : error;
    }
    this.say(renderSummary(report));
    if (flags.html !== undefined) this.say(`HTML report written to ${flags.html}`);
    if (!report.passed) process.exitCode = EXIT.failed;
    return report;
  }
}

/** --fail-under as a number, or the flag's text in the error. */
function failUnder(text: string): number {
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new StbError('E_USAGE', `--fail-under must be a score between 0 and 1, got ${text}`);
  return value;
}

/** The property table and the verdict line. */
export function renderSummary(report: FidelityReportJson): string {
  const rows = report.properties.map((p) => [
    p.property,
    p.skipped ? '-' : p.effectSize.toFixed(4),
    String(p.threshold),
    p.pAdjusted === undefined ? '-' : p.pAdjusted < 1e-4 ? p.pAdjusted.toExponential(1) : p.pAdjusted.toFixed(4),
    p.skipped
      ? `skipped (${p.skipped})`
      : p.passed
        ? p.passedAs === 'within-original-variation'
          ? "pass (within the original's own variation)"
          : p.passedAs === 'not-significant'
            ? 'pass (not significant)'
            : 'pass'
        : 'FAIL',
  ]);
  const verdict = report.passed ? 'PASS' : `FAIL (${report.failed.length > 0 ? report.failed.join(', ') : `score under ${report.failUnder}`})`;
  return `${table(['property', 'effect', 'threshold', 'p (Holm)', 'verdict'], rows, new Set([1, 2, 3]))}\n\nscore ${report.score.toFixed(3)} — ${verdict}\n${report.original.events.toLocaleString('en')} original events vs ${report.synthetic.events.toLocaleString('en')} synthetic`;
}
