import type { Driver } from '../ports/driver';

/** Runs setup statements (schema, data) in order on one new session of `driver`, then closes it. */
export async function runStatements(driver: Driver, sql: readonly string[]): Promise<void> {
  const session = await driver.open();
  try {
    for (const statement of sql) await session.execute(statement);
  } finally {
    await session.close();
  }
}
