import pg from 'pg';
import { runProgram } from './run-program';

/** The environment pgbench and psql read a server URL's parts from. */
export function pgEnvironment(url: URL): Record<string, string> {
  return {
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username || 'postgres'),
    PGPASSWORD: decodeURIComponent(url.password),
  };
}

/**
 * Makes `database` on the server at `serverUrl` (when missing) and fills it afresh with
 * `pgbench -i -s scale`; returns the URL of that database.
 */
export async function freshPgbenchDatabase(serverUrl: string, database: string, scale = 10): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`database name "${database}" must be a plain lower-case identifier`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  await runProgram('pgbench', ['-i', '-q', '-s', String(scale), database], pgEnvironment(url));
  url.pathname = `/${database}`;
  return url.toString();
}
