import { MessageChannel } from 'node:worker_threads';
import type { MetricsSink, OperationMetric } from '@sqltrace/core';
import { ForwardedMetrics, MetricsReceiver, type MetricsBatch } from '../src/threads/forwarded-metrics';

describe('metrics forwarded from a benchmark thread', () => {
  it('arrive in the parent as the same operations (error classes too) and dropped counts, in order, across batches and through a real message port', async () => {
    const { port1, port2 } = new MessageChannel();
    const received: OperationMetric[] = [];
    const gauges: number[] = [];
    let dropped = 0;
    const sink: MetricsSink = {
      recordOperation: (s) => received.push(s),
      recordDropped: (n) => (dropped += n),
      setActiveSessions: (n) => gauges.push(n),
      setProgress: () => undefined,
    };
    const receiver = new MetricsReceiver();
    let batches = 0;
    const arrived = new Promise<void>((resolve) =>
      port2.on('message', (batch: MetricsBatch) => {
        receiver.apply(batch, sink);
        sink.setActiveSessions(batch.activeSessions);
        if (++batches === 2) resolve();
      }),
    );
    const forwarded = new ForwardedMetrics((batch, transfer) => port1.postMessage(batch, transfer), 60_000);
    const sent: OperationMetric[] = [];
    const op = (i: number): OperationMetric => ({
      template: `t${i % 3}`,
      kind: i % 3 === 2 ? 'update' : 'select',
      ...(i % 7 === 0 ? { status: 'error', errorClass: i % 2 === 0 ? '40' : '23' } : { status: 'ok' }),
      responseSeconds: i / 1000,
      serviceSeconds: i / 2000,
      scheduleLagSeconds: i / 4000,
    });
    for (let i = 0; i < 2_500; i++) forwarded.recordOperation((sent[sent.length] = op(i))); // past the first buffer's 1,024
    forwarded.setActiveSessions(4);
    forwarded.recordDropped(3);
    forwarded.flush();
    forwarded.recordDropped(2);
    for (let i = 2_500; i < 2_600; i++) forwarded.recordOperation((sent[sent.length] = op(i))); // series the first batch announced
    forwarded.recordOperation((sent[sent.length] = { ...op(1), template: 'late', kind: 'delete' }));
    await forwarded.close();
    await arrived;
    port1.close();
    expect(received).toEqual(sent);
    expect(gauges).toEqual([4, 4]);
    expect(dropped).toBe(5);
  });
});
