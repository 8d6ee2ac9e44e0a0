// Captures a real log on this machine's servers:
//   npm run -w @sqltrace/capture capture -- pgbench -o tpcb.log [--clients 8] [--threads 2] [--seconds 30] [--connect-per-transaction] [--select-only] [--scale 10]
//   npm run -w @sqltrace/capture capture -- sysbench -o rw.log [--threads 8] [--seconds 30] [--ps-mode disable|auto]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { capturePgbench } from './capture-pgbench';
import { captureSysbench } from './capture-sysbench';

const USAGE = `usage: capture pgbench -o FILE [--clients 8] [--threads 2] [--seconds 30] [--scale 10] [--rate TPS] [--connect-per-transaction] [--select-only]
       capture sysbench -o FILE [--threads 8] [--seconds 30] [--ps-mode disable|auto] [--log-after SECONDS]`;

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        clients: { type: 'string' },
        threads: { type: 'string' },
        seconds: { type: 'string' },
        scale: { type: 'string' },
        'connect-per-transaction': { type: 'boolean' },
        'select-only': { type: 'boolean' },
        'ps-mode': { type: 'string' },
        'log-after': { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`capture: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const { positionals, values } = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const kind = positionals[0];
function number(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`capture: --${flag} must be a non-negative number (got ${JSON.stringify(v)})`);
    process.exit(2);
  }
  return n;
}
if (values.output === undefined || (kind !== 'pgbench' && kind !== 'sysbench')) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const output = resolve(process.env.INIT_CWD ?? process.cwd(), values.output!);
  const result =
    kind === 'pgbench'
      ? await capturePgbench({
          output,
          clients: number(values.clients, 'clients'),
          threads: number(values.threads, 'threads'),
          seconds: number(values.seconds, 'seconds'),
          scale: number(values.scale, 'scale'),
          rate: number(values.rate, 'rate'),
          connectPerTransaction: values['connect-per-transaction'],
          selectOnly: values['select-only'],
        })
      : await captureSysbench({
          output,
          threads: number(values.threads, 'threads'),
          seconds: number(values.seconds, 'seconds'),
          psMode: values['ps-mode'] as 'disable' | 'auto' | undefined,
          logAfterSeconds: number(values['log-after'], 'log-after'),
        });
  console.log(`${result.output}: ${result.lines} lines in ${result.seconds.toFixed(1)} s (${kind}: ${result.clientReport})`);
} catch (error) {
  console.error(`capture: ${(error as Error).message}`);
  process.exit(1);
}
