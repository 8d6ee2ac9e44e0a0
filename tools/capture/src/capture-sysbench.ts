import { chmodSync, createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mysql from 'mysql2/promise';
import type { CaptureResult } from './capture-pgbench';
import { runProgram } from './run-program';
import { freshSysbenchDatabase, sysbenchConnection, type SysbenchTables } from './sysbench-database';

export interface SysbenchCaptureOptions extends SysbenchTables {
  /** Where the log goes (a MariaDB/MySQL general log of this database's connections only). */
  readonly output: string;
  /** A URL of a user that may SET GLOBAL (default STB_MYSQL_URL, else mysql://root@127.0.0.1:3306/test); the database sysbench runs in is made when missing (default stb_capture_sysbench). */
  readonly url?: string;
  /** The sysbench script (default oltp_read_write). */
  readonly script?: string;
  readonly threads?: number;
  readonly seconds?: number;
  /**
   * `--db-ps-mode`: `disable` (default: the text protocol) or `auto` (prepared statements; the
   * log must be on before sysbench connects — the server logs the values only of statements
   * prepared while it is on).
   */
  readonly psMode?: 'disable' | 'auto';
  /**
   * Switch the general log on this long after sysbench started (default 0: before it connects),
   * as a user does on a live server: the log then begins with connections already open and,
   * often, entries before its first timestamp.
   */
  readonly logAfterSeconds?: number;
}

/**
 * Runs sysbench against the machine's MariaDB/MySQL with the general log on, then puts the
 * server's logging back as it was and writes the capture database's connections' entries to
 * `output`. The log is the server's own, as a user would find it (entries print the time only
 * when the second changes); entries of other connections are dropped, their timestamps moved to
 * the next entry kept.
 */
export async function captureSysbench(options: SysbenchCaptureOptions): Promise<CaptureResult> {
  const started = performance.now();
  const { url, database, args } = sysbenchConnection(options);
  if (options.psMode === 'auto' && (options.logAfterSeconds ?? 0) > 0) {
    throw new Error(
      '--ps-mode auto needs the log on before sysbench connects (no --log-after): the server logs the values only of statements prepared while the log is on',
    );
  }
  const admin = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  const dir = mkdtempSync(join(tmpdir(), 'stb-capture-'));
  chmodSync(dir, 0o777); // the server writes the raw log here as its own user
  const raw = join(dir, 'general.log');
  const [[saved]] = (await admin.query('SELECT @@GLOBAL.general_log AS on_, @@GLOBAL.general_log_file AS file')) as unknown as [
    [{ on_: number; file: string }],
  ];
  if (saved.on_ === 1) {
    // Another capture's, or the server's own: switching files under it would lose its lines (and
    // two captures at once restore each other's settings).
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `the server's general log is already on (${saved.file}): another capture may be running — wait for it, or SET GLOBAL general_log = 0 first`,
    );
  }
  const common = [options.script ?? 'oltp_read_write', ...args];
  try {
    await freshSysbenchDatabase(options);
    await admin.query('SET GLOBAL general_log_file = ?', [raw]);
    const delay = options.logAfterSeconds ?? 0;
    if (delay <= 0) await admin.query('SET GLOBAL general_log = 1');
    const running = runProgram('sysbench', [
      ...common,
      `--threads=${options.threads ?? 8}`,
      `--time=${options.seconds ?? 30}`,
      `--db-ps-mode=${options.psMode ?? 'disable'}`,
      'run',
    ]);
    const open = new Set<string>();
    let run;
    try {
      if (delay > 0) {
        await new Promise((r) => setTimeout(r, delay * 1000));
        await admin.query('SET GLOBAL general_log = 1');
        // Connections already open have no Connect line in the log: know them by their database.
        const [rows] = (await admin.query('SELECT id FROM information_schema.processlist WHERE db = ?', [database])) as unknown as [{ id: number }[]];
        for (const row of rows) open.add(String(row.id));
      }
      run = await running;
    } finally {
      await running.catch(() => undefined);
      await admin.query('SET GLOBAL general_log = ?', [saved.on_]);
      await admin.query('SET GLOBAL general_log_file = ?', [saved.file]);
    }
    const lines = await copyDatabaseEntries(raw, database, options.output, open);
    const tps = /queries:\s+\d+\s+\(([\d.]+) per sec\.\)/.exec(run.stdout)?.[0] ?? '';
    return { output: options.output, lines, clientReport: tps, seconds: (performance.now() - started) / 1000 };
  } finally {
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `261206 17:40:01\t     42 Query\t…` or `\t\t     42 Query\t…`
const ENTRY = /^(\d{6} [ \d]\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)?)?\s+(\d+) (\w+(?: \w+)?)(?:\t|$)/;

async function copyDatabaseEntries(raw: string, database: string, output: string, open: ReadonlySet<string>): Promise<number> {
  const out = createWriteStream(output);
  const threads = new Set<string>(open);
  let keep = true; // the server's start-up header comes before any entry
  let carriedTime: string | undefined;
  let lines = 0;
  const onDatabase = new RegExp(`^\\S*@\\S* (?:as \\S+ )?on ${database}\\b`);
  for await (const line of createInterface({ input: createReadStream(raw), crlfDelay: Infinity })) {
    const m = ENTRY.exec(line);
    let text = line;
    if (m !== null) {
      const thread = m[2]!;
      if (m[3] === 'Connect') {
        const argument = line.slice(line.indexOf('Connect') + 8).trim();
        if (onDatabase.test(argument)) threads.add(thread);
        else threads.delete(thread);
      }
      keep = threads.has(thread);
      if (m[3] === 'Quit') threads.delete(thread);
      if (!keep) {
        if (m[1] !== undefined) carriedTime = m[1];
        continue;
      }
      if (m[1] === undefined && carriedTime !== undefined) text = carriedTime + line.replace(/^\t\t/, '\t');
      carriedTime = undefined;
    } else if (!keep) {
      continue;
    }
    if (!out.write(text + '\n')) await once(out, 'drain');
    lines++;
  }
  out.end();
  await once(out, 'finish');
  return lines;
}
