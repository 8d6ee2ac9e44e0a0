/**
 * `npm run bench:scanner [-- REV]`: the statement scanner (scanSql, the normalizer's hot path) of a
 * git revision (default HEAD) against the working tree, paired round by round on the statements
 * of real logs in ../shared/corpora (pgbadger's PostgreSQL logs, percona-toolkit's MySQL logs).
 * Both are bundled by esbuild as the build does (so `const enum`s are inlined in both). Checks
 * first that both give the same result for every statement; prints the medians and the median of
 * the paired ratios (working tree / REV). Options (environment): STB_BENCH_REPS (passes over the
 * statements per measurement, default 10), STB_BENCH_RUNS (paired rounds, default 9).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import type { ScanDialect, ScanResult } from '@sqltrace/parser';
import { median } from './measure';
import { out, root } from './bench-inputs';

type Scan = (input: string, dialect: ScanDialect) => ScanResult;

const REV = process.argv[2] ?? 'HEAD';
const REPS = Number(process.env.STB_BENCH_REPS ?? 10);
const RUNS = Number(process.env.STB_BENCH_RUNS ?? 9);
const CORPORA = join(root, '../shared/corpora');
const NORMALIZER = 'packages/parser/src/normalizer';

/** The normalizer's sources at REV, written under out/. */
function checkoutBase(): string {
  const dir = join(out, 'scanner-base');
  rmSync(dir, { recursive: true, force: true });
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', REV, `${NORMALIZER}/`], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  if (files.length === 0) throw new Error(`${REV} has no ${NORMALIZER}`);
  for (const file of files) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, execFileSync('git', ['show', `${REV}:${file}`], { cwd: root, maxBuffer: 1 << 26 }));
  }
  return join(dir, NORMALIZER, 'sql-scanner.ts');
}

async function bundle(entry: string, name: string): Promise<Scan> {
  const outfile = join(out, `scanner-${name}.mjs`);
  buildSync({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile, external: ['@sqltrace/*'], logLevel: 'error' });
  const module = (await import(pathToFileURL(outfile).href)) as { scanSql: Scan };
  return module.scanSql;
}

function statements(): { pg: string[]; mysql: string[] } {
  const pg: string[] = [];
  for (const file of ['pg-syslog.1.bz2', 'light.postgres.log.bz2', 'rds.log.bz2']) {
    const text = execFileSync('bzcat', [join(CORPORA, 'pgbadger', file)], { maxBuffer: 1 << 30 }).toString();
    for (const m of text.matchAll(/(?:statement|execute [^:]*): (.*)$/gm)) pg.push(m[1]!);
  }
  const mysql: string[] = [];
  for (const dir of ['genlogs', 'slowlogs', 'rawlogs']) {
    for (const file of readdirSync(join(CORPORA, 'percona-toolkit', dir))) {
      const text = readFileSync(join(CORPORA, 'percona-toolkit', dir, file), 'latin1');
      for (const m of text.matchAll(/^\s*(?:\d+\s+)?(?:Query|Execute)\s+(.*)$|^((?:SELECT|INSERT|UPDATE|DELETE|REPLACE) .*);$/gim)) mysql.push((m[1] ?? m[2])!);
    }
  }
  return { pg, mysql };
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const base = await bundle(checkoutBase(), 'base');
  const current = await bundle(join(root, NORMALIZER, 'sql-scanner.ts'), 'current');
  const { pg, mysql } = statements();
  console.log(
    `bench:scanner: ${REV} against the working tree, ${pg.length} PostgreSQL and ${mysql.length} MySQL statements from ../shared/corpora, ${REPS} passes per measurement`,
  );
  let differing = 0;
  for (const s of pg) if (JSON.stringify(base(s, 'postgres')) !== JSON.stringify(current(s, 'postgres'))) differing++;
  for (const s of mysql) if (JSON.stringify(base(s, 'mysql')) !== JSON.stringify(current(s, 'mysql'))) differing++;
  console.log(`statements whose result differs: ${differing}`);
  const time = (scan: Scan): number => {
    const start = process.hrtime.bigint();
    let slots = 0;
    for (let r = 0; r < REPS; r++) {
      for (const s of pg) slots += scan(s, 'postgres').params.length;
      for (const s of mysql) slots += scan(s, 'mysql').params.length;
    }
    if (slots < 0) throw new Error('unreachable'); // keeps the results alive
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  time(base); // warm-up
  time(current);
  const bases: number[] = [];
  const currents: number[] = [];
  const ratios: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternate which goes first, so that neither always runs on a warmer machine.
    let b: number, c: number;
    if (run % 2 === 0) [b, c] = [time(base), time(current)];
    else [c, b] = [time(current), time(base)];
    bases.push(b);
    currents.push(c);
    ratios.push(c / b);
  }
  console.log(`${REV.padEnd(12)} median ${median(bases).toFixed(0)} ms`);
  console.log(`${'working tree'.padEnd(12)} median ${median(currents).toFixed(0)} ms`);
  console.log(`paired ratio working tree / ${REV}: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(3)).join(' ')})`);
  if (differing > 0) process.exitCode = 1;
}

await main();
