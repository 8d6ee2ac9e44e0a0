import { writeFileSync } from 'node:fs';
import type pg from 'pg';

/** The table the workload runs on (made afresh by {@link prepareBankTable}). */
export const BANK_TABLE = 'stb_obs_accounts';

/** Makes the workload's table: 1,000 accounts. */
export async function prepareBankTable(client: pg.Client): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${BANK_TABLE}; CREATE TABLE ${BANK_TABLE} (id int PRIMARY KEY, balance int NOT NULL)`);
  await client.query(`INSERT INTO ${BANK_TABLE} SELECT g, 0 FROM generate_series(1, 1000) g`);
}

/**
 * A small banking trace for PostgreSQL: four sessions reading and updating balances, a count that
 * scans, and one statement in ten-odd that fails (a missing table: SQLSTATE class 42).
 */
export function writeBankTrace(path: string): void {
  const lines: string[] = [JSON.stringify({ $trace: { version: 1, source: 'test', dialect: 'postgres' } })];
  let ts = 0;
  for (let s = 0; s < 4; s++) {
    for (let i = 0; i < 50; i++) {
      const id = 1 + ((s * 50 + i) % 1000);
      const event = (sql: string, templateId: string) => lines.push(JSON.stringify({ ts: ts++, session: `s${s}`, sql, templateId }));
      event(`SELECT balance FROM ${BANK_TABLE} WHERE id = ${id}`, 'select-balance');
      event(`UPDATE ${BANK_TABLE} SET balance = balance + 1 WHERE id = ${id}`, 'update-balance');
      event(`SELECT count(*) FROM ${BANK_TABLE} WHERE balance > ${i}`, 'count-rich');
      if (i % 10 === 0) event('SELECT * FROM stb_obs_missing', 'missing-table');
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
}
