import mysql from 'mysql2/promise';
import { runProgram } from './run-program';

export interface SysbenchTables {
  /** A URL of the server (its database part is ignored): default STB_MYSQL_URL, else mysql://root@127.0.0.1:3306/test. */
  readonly url?: string;
  /** Default stb_capture_sysbench. */
  readonly database?: string;
  /** `--tables` (default 4) and `--table-size` (default 10,000). */
  readonly tables?: number;
  readonly tableSize?: number;
}

/** The server URL and the sysbench options that reach `database` on it. */
export function sysbenchConnection(options: SysbenchTables): { url: URL; database: string; args: string[] } {
  const url = new URL(options.url ?? process.env.STB_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
  const database = options.database ?? 'stb_capture_sysbench';
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name "${database}" must be a plain lower-case identifier`);
  const args = [
    '--db-driver=mysql',
    `--mysql-host=${url.hostname}`,
    `--mysql-port=${url.port || 3306}`,
    `--mysql-user=${decodeURIComponent(url.username || 'root')}`,
    ...(url.password ? [`--mysql-password=${decodeURIComponent(url.password)}`] : []),
    `--mysql-db=${database}`,
    `--tables=${options.tables ?? 4}`,
    `--table-size=${options.tableSize ?? 10_000}`,
  ];
  return { url, database, args };
}

/**
 * Makes `database` (when missing) and fills it afresh with `sysbench <script> cleanup` then
 * `prepare`: the tables as a sysbench run starts from. Returns the database's URL.
 */
export async function freshSysbenchDatabase(options: SysbenchTables & { readonly script?: string } = {}): Promise<string> {
  const { url, database, args } = sysbenchConnection(options);
  const admin = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS ${database}`);
  } finally {
    await admin.end();
  }
  const script = options.script ?? 'oltp_read_write';
  await runProgram('sysbench', [script, ...args, 'cleanup']);
  await runProgram('sysbench', [script, ...args, 'prepare']);
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}
