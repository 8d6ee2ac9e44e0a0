import { closeSync, createWriteStream, fstatSync, openSync, readSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import pg from 'pg';
import { freshPgbenchDatabase, pgEnvironment } from './pgbench-database';
import { runProgram } from './run-program';

export interface PgbenchCaptureOptions {
  /** Where the log goes (a PostgreSQL stderr log of this database's statements only). */
  readonly output: string;
  /** A superuser URL of the server (default STB_PG_URL, else postgres://postgres@127.0.0.1:5432/test). */
  readonly url?: string;
  /** The database pgbench runs in; made when missing (default stb_capture_pgbench). */
  readonly database?: string;
  /** `pgbench -i -s` (default 10); the tables are made afresh before every capture. */
  readonly scale?: number;
  readonly clients?: number;
  readonly threads?: number;
  readonly seconds?: number;
  /** `pgbench -C`: a new connection for every transaction. */
  readonly connectPerTransaction?: boolean;
  /** `pgbench -S`: the select-only script instead of TPC-B. */
  readonly selectOnly?: boolean;
  /** `pgbench -R`: transactions per second in all (default: as fast as the server goes). */
  readonly rate?: number;
}

export interface CaptureResult {
  readonly output: string;
  /** Log lines written. */
  readonly lines: number;
  /** What the benchmark client reported (transactions per second, as it prints them). */
  readonly clientReport: string;
  readonly seconds: number;
}

const PREFIX = '%m [%p] %q%u@%d ';

/**
 * Runs pgbench against the machine's PostgreSQL with every statement logged
 * (`log_min_duration_statement = 0`, set on the capture database alone and reset afterwards),
 * and copies that database's part of the server's stderr log to `output`. The server keeps its
 * log where it always does; this reads it through the postmaster's own stderr (`/proc/PID/fd/2`),
 * so it needs to run as root or postgres on the server's machine.
 */
export async function capturePgbench(options: PgbenchCaptureOptions): Promise<CaptureResult> {
  const started = performance.now();
  const url = new URL(options.url ?? process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const database = options.database ?? 'stb_capture_pgbench';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  let logPath: string;
  try {
    const prefix = (await admin.query<{ log_line_prefix: string }>('SHOW log_line_prefix')).rows[0]!.log_line_prefix;
    if (prefix !== PREFIX) throw new Error(`the server's log_line_prefix is '${prefix}', the capture needs '${PREFIX}' (set it in postgresql.conf and reload)`);
    logPath = await serverLogPath(admin);
    // Made and filled before statements are logged (the fill is not the workload).
    await freshPgbenchDatabase(url.toString(), database, options.scale ?? 10);
    await admin.query(`ALTER DATABASE ${database} RESET log_min_duration_statement`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const env = pgEnvironment(url);
  try {
    await admin.query(`ALTER DATABASE ${database} SET log_min_duration_statement = 0`);
    const offset = fileSize(logPath);
    const args = ['-c', String(options.clients ?? 8), '-j', String(options.threads ?? 2), '-T', String(options.seconds ?? 30)];
    if (options.connectPerTransaction) args.push('-C');
    if (options.selectOnly) args.push('-S');
    if (options.rate !== undefined) args.push('-R', String(options.rate));
    const run = await runProgram('pgbench', [...args, database], env);
    await admin.query(`ALTER DATABASE ${database} RESET log_min_duration_statement`);
    // The last backends write their lines as they exit: give them a moment.
    await new Promise((r) => setTimeout(r, 300));
    const lines = await copyDatabaseLines(logPath, offset, database, options.output);
    const tps = /tps = [\d.]+ \(without initial connection time\)|tps = [\d.]+ \(including connections establishing\)|tps = [\d.]+/.exec(run.stdout)?.[0] ?? '';
    return { output: options.output, lines, clientReport: tps, seconds: (performance.now() - started) / 1000 };
  } finally {
    await admin.query(`ALTER DATABASE ${database} RESET log_min_duration_statement`).catch(() => undefined);
    await admin.end();
  }
}

/** The file the postmaster's stderr goes to (Debian's clusters: /var/log/postgresql/…, possibly since rotated away). */
async function serverLogPath(admin: pg.Client): Promise<string> {
  const collector = (await admin.query<{ logging_collector: string }>('SHOW logging_collector')).rows[0]!.logging_collector;
  if (collector === 'on') {
    const current = (await admin.query<{ f: string | null }>("SELECT pg_current_logfile('stderr') AS f")).rows[0]!.f;
    const dir = (await admin.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
    if (current) return current.startsWith('/') ? current : `${dir}/${current}`;
  }
  const dir = (await admin.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  let pid: string;
  try {
    pid = readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]!.trim();
  } catch (error) {
    throw new Error(
      `cannot read ${dir}/postmaster.pid to find the server's log (${(error as NodeJS.ErrnoException).code}): run the capture as root or postgres on the server's machine`,
    );
  }
  const path = `/proc/${pid}/fd/2`;
  try {
    const fd = openSync(path, 'r');
    const regular = fstatSync(fd).isFile();
    closeSync(fd);
    if (!regular) throw new Error('not a file');
  } catch (error) {
    throw new Error(
      `the server's stderr (${path}) is not a readable log file (${(error as Error).message}): start the server with its output in a file (pg_ctlcluster does)`,
    );
  }
  return path;
}

function fileSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies the lines of one database's sessions written to the log after `offset`: an entry whose
 * prefix names the database, with the continuation lines (a tab first) that follow it.
 */
async function copyDatabaseLines(logPath: string, offset: number, database: string, output: string): Promise<number> {
  const out = createWriteStream(output);
  const marker = `@${database} `;
  const fd = openSync(logPath, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let position = offset;
  let rest = '';
  let keep = false;
  let lines = 0;
  let pending: string[] = [];
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      position += n;
      const text = rest + chunk.toString('utf8', 0, n);
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        if (line.startsWith('\t')) {
          if (keep) pending.push(line);
          continue;
        }
        keep = line.slice(0, 120).includes(marker);
        if (keep) pending.push(line);
      }
      lines += pending.length;
      if (!out.write(pending.join('\n') + (pending.length > 0 ? '\n' : ''))) await once(out, 'drain');
      pending = [];
    }
  } finally {
    closeSync(fd);
    out.end();
    await once(out, 'finish');
  }
  return lines;
}
