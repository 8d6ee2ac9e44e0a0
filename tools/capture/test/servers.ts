import { execFileSync } from 'node:child_process';

/** Whether a program exits 0 within 5 s (a server answering its client tool). */
export function answers(program: string, args: string[]): boolean {
  try {
    execFileSync(program, args, { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * describe() for the tests that need PostgreSQL and pgbench, or MariaDB and sysbench. Without
 * them the tests are skipped loudly; under CI=true they must run, so a missing one fails.
 */
export function serversOrSkip(): { describePg: jest.Describe; describeMysql: jest.Describe } {
  const pg = answers('pg_isready', ['-h', '127.0.0.1', '-p', '5432']) && answers('pgbench', ['--version']);
  const mysql = answers('mariadb-admin', ['-h', '127.0.0.1', '-P', '3306', '-u', 'root', 'ping']) && answers('sysbench', ['--version']);
  for (const [ok, what] of [
    [pg, 'PostgreSQL at 127.0.0.1:5432 with pgbench'],
    [mysql, 'MariaDB at 127.0.0.1:3306 with sysbench'],
  ] as const) {
    if (ok) continue;
    const message = `\n!!! ${what} is not available: its session-fidelity tests are SKIPPED !!!\n`;
    if (process.env.CI === 'true') throw new Error(`${message}(CI=true: they must run)`);
    console.warn(message);
  }
  return { describePg: pg ? describe : describe.skip, describeMysql: mysql ? describe : describe.skip };
}
