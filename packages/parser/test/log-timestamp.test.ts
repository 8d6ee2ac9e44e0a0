import { parseLogTimestamp } from '@sqltrace/parser';

/** Microseconds since the epoch, from an ISO timestamp with its zone and its microseconds. */
function expected(iso: string, micros: number): number {
  return Date.parse(iso) * 1000 + micros;
}

describe('log timestamps', () => {
  it('reads the same value whether or not the previous line had the same second (the fast path)', () => {
    const cases: [string, number][] = [
      ['2024-06-03 09:00:00.000 UTC', expected('2024-06-03T09:00:00Z', 0)],
      ['2024-06-03 09:00:00.001 UTC', expected('2024-06-03T09:00:00Z', 1_000)],
      ['2024-06-03 09:00:00.999 UTC', expected('2024-06-03T09:00:00Z', 999_000)],
      ['2024-06-03 09:00:01.999 UTC', expected('2024-06-03T09:00:01Z', 999_000)],
      ['2024-06-03 09:00:01.5 CEST', expected('2024-06-03T09:00:01+02:00', 500_000)],
      ['2024-06-03 09:00:01.7 CEST', expected('2024-06-03T09:00:01+02:00', 700_000)],
      ['2024-06-03 09:00:01.7 EEST', expected('2024-06-03T09:00:01+03:00', 700_000)],
      ['2024-06-03T09:00:01.123456Z', expected('2024-06-03T09:00:01Z', 123_456)],
      ['2024-06-03T09:00:01.654321Z', expected('2024-06-03T09:00:01Z', 654_321)],
      ['2024-06-03T09:00:01.1234567Z', expected('2024-06-03T09:00:01Z', 123_456)],
      ['2024-06-03 09:00:01.12 UTC', expected('2024-06-03T09:00:01Z', 120_000)],
      ['2024-06-03 09:00:01.120UTC', expected('2024-06-03T09:00:01Z', 120_000)],
    ];
    for (const order of [cases, [...cases].reverse()]) {
      for (const [text, value] of order) {
        expect([text, parseLogTimestamp(text)]).toEqual([text, value]);
        expect([text, parseLogTimestamp(text)]).toEqual([text, value]); // again, from the cache
      }
    }
  });
});
