// Captures a real log on this machine's servers:
//   npm run -w @sqltrace/capture capture -- pgbench -o tpcb.log [--clients 8] [--threads 2] [--seconds 30] [--connect-per-transaction] [--select-only] [--scale 10]
//   npm run -w @sqltrace/capture capture -- sysbench -o rw.log [--threads 8] [--seconds 30] [--ps-mode disable|auto]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { capturePgbench } from './capture-pgbench';
import { captureSysbench } from './capture-sysbench';

const { positionals, values } = parseArgs({
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
  },
});
const kind = positionals[0];
const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
try {
  if (values.output === undefined || (kind !== 'pgbench' && kind !== 'sysbench')) throw new Error('usage: capture pgbench|sysbench -o FILE [options]');
  const output = resolve(process.env.INIT_CWD ?? process.cwd(), values.output);
  const result = kind === 'pgbench'
    ? await capturePgbench({ output, clients: number(values.clients), threads: number(values.threads), seconds: number(values.seconds), scale: number(values.scale), connectPerTransaction: values['connect-per-transaction'], selectOnly: values['select-only'] })
    : await captureSysbench({ output, threads: number(values.threads), seconds: number(values.seconds), psMode: values['ps-mode'] as 'disable' | 'auto' | undefined, logAfterSeconds: number(values['log-after']) });
  console.log(`${result.output}: ${result.lines} lines in ${result.seconds.toFixed(1)} s (${kind}: ${result.clientReport})`);
} catch (error) {
  console.error(`capture: ${(error as Error).message}`);
  process.exit(1);
}
