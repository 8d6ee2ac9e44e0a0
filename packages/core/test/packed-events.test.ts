import { MessageChannel } from 'node:worker_threads';
import type { TraceEvent } from '@sqltrace/core';
import { packEvents, packedBuffers, unpackEvents, type PackedEvents } from '@sqltrace/core/internal';

/** Sends a packed batch through a real message port, as the parse pipeline sends it to its normalizer thread and a threaded replay to its benchmark threads. */
function throughPort(packed: PackedEvents): Promise<PackedEvents> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (m: PackedEvents) => {
      port1.close();
      resolve(m);
    });
    port1.postMessage(packed, packedBuffers(packed));
  });
}

describe('events packed for another thread', () => {
  it('arrive field for field as they were sent, absent fields absent, across a message port', async () => {
    const events: TraceEvent[] = [
      { ts: 1_717_405_476_605_000, session: '66512cd6.12cd6', sql: 'SELECT 1' },
      {
        ts: 1_717_405_476_605_001,
        session: '7',
        sql: "INSERT INTO t VALUES ($1, $2, $3)\n-- two lines, 'ünïcödé' ✓",
        params: ['a\nb', null, 42],
        durationUs: 0,
        user: 'web',
        database: 'shop',
        application: '',
        error: '23505',
        templateId: 'abc123',
      },
      { ts: 0, session: '', sql: '', durationUs: 1.5, database: 'only-database' },
      { ts: -1, session: 's', sql: 'x'.repeat(100_000), user: '[unknown]' },
    ];
    const before = structuredClone(events);
    const packed = packEvents(events);
    const received = unpackEvents(await throughPort(packed));
    expect(received).toEqual(before);
    // Absent stays absent (not a key holding undefined): the trace encoder writes what is present.
    expect(Object.keys(received[0]!)).toEqual(['ts', 'session', 'sql']);
    expect(Object.keys(received[2]!).sort()).toEqual(['database', 'durationUs', 'session', 'sql', 'ts']);
    // The typed arrays were transferred, not copied.
    expect(packed.numbers.byteLength).toBe(0);
  });

  it('packs an empty batch', () => {
    expect(unpackEvents(packEvents([]))).toEqual([]);
  });
});
