import type { TraceEvent, TraceSource } from '@sqltrace/core';

/**
 * Two sessions that deadlock, as a log of them would read had they not (the original ran them at
 * other times): a locks row 1, b row 2, then each wants the other's — one is made the victim and
 * its transaction rolled back — then each logs its name and commits. `table` has rows 1 and 2
 * (id, v); `log` (who) is empty. At speed 1 the order is the log's: 0, 50, 100, 150 ms, …
 */
export function deadlockTrace(table: string, log: string): TraceSource {
  const at = (ms: number, session: string, sql: string, templateId: string): TraceEvent => ({ ts: ms * 1000, session, sql, templateId });
  const events = [
    at(0, 'a', 'BEGIN', 'begin'),
    at(10, 'b', 'BEGIN', 'begin'),
    at(50, 'a', `UPDATE ${table} SET v = v + 1 WHERE id = 1`, 'u1'),
    at(100, 'b', `UPDATE ${table} SET v = v + 1 WHERE id = 2`, 'u2'),
    at(150, 'a', `UPDATE ${table} SET v = v + 1 WHERE id = 2`, 'u2'),
    at(200, 'b', `UPDATE ${table} SET v = v + 1 WHERE id = 1`, 'u1'),
    at(250, 'a', `INSERT INTO ${log} (who) VALUES ('a')`, 'log-a'),
    at(260, 'b', `INSERT INTO ${log} (who) VALUES ('b')`, 'log-b'),
    at(300, 'a', 'COMMIT', 'commit'),
    at(310, 'b', 'COMMIT', 'commit'),
  ];
  return {
    name: 'deadlock',
    events: async function* () {
      yield* events;
    },
  };
}
