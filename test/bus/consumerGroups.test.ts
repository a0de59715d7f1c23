import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../core/index.js';
import type { ConsumedBatch } from '../../ingest/index.js';
import { consume, makeTempDir, metricValue, openBus, payload, text, withTimeout } from './busHarness.js';

async function sendN(bus: Awaited<ReturnType<typeof openBus>>['bus'], from: number, count: number): Promise<void> {
  const records = Array.from({ length: count }, (_, i) => ({ key: 'k', value: payload(`v${from + i}`) }));
  await bus.producer().send('t', records);
}

describe('embedded bus: consumer groups', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => cleanup());

  it('resumes a group from its committed offset after the bus is reopened; a new group starts at the oldest record', async () => {
    const first = await openBus(dir);
    await sendN(first.bus, 0, 10);
    const consumed = await consume(first.bus, { group: 'writer', topics: ['t'], maxBatchRecords: 4 }, 10);
    expect(consumed.flatMap((b) => b.records).length).toBe(10);
    await first.bus.shutdown();

    const second = await openBus(dir);
    expect((await second.bus.stats())[0]?.committed.get('writer')).toBe(10n);
    await sendN(second.bus, 10, 5);
    const resumed = (await consume(second.bus, { group: 'writer', topics: ['t'] }, 5)).flatMap((b) => b.records);
    expect(resumed.map((r) => Number(r.offset))).toEqual([10, 11, 12, 13, 14]);
    expect(resumed.map((r) => text(r.value))).toEqual(['v10', 'v11', 'v12', 'v13', 'v14']);
    const fresh = (await consume(second.bus, { group: 'other', topics: ['t'] }, 15)).flatMap((b) => b.records);
    expect(fresh[0]?.offset).toBe(0n);
    expect(fresh.length).toBe(15);
    await second.bus.shutdown();
  });

  it('delivers the same batch again after the handler rejects, then moves on', async () => {
    const { bus, registry } = await openBus(dir, { redeliveryBackoffMs: { initial: 5, max: 20 } });
    await sendN(bus, 0, 6);
    const deliveries: ConsumedBatch[] = [];
    let failures = 2;
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const consumer = bus.consumer({ group: 'g', topics: ['t'], maxBatchRecords: 3, maxWaitMs: 0 });
    await consumer.run(async (batch) => {
      deliveries.push(batch);
      if (batch.records[0]?.offset === 0n && failures-- > 0) throw new Error('store unavailable');
      if (batch.nextOffset === 6n) done();
    });
    await withTimeout(finished, 5000, 'redelivered batches');
    await consumer.stop();
    expect(deliveries.map((b) => b.records.map((r) => Number(r.offset)))).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2], [3, 4, 5]]);
    expect(deliveries[1]).toBe(deliveries[0]);
    expect(await metricValue(registry, 'vigil_bus_redeliveries_total')).toBe(2);
    expect((await bus.stats())[0]?.committed.get('g')).toBe(6n);
    await bus.shutdown();
  });

  it('does not commit a batch whose handler rejected when the consumer is stopped', async () => {
    const { bus } = await openBus(dir, { redeliveryBackoffMs: { initial: 10_000, max: 10_000 } });
    await sendN(bus, 0, 3);
    let attempted!: () => void;
    const rejected = new Promise<void>((r) => (attempted = r));
    const consumer = bus.consumer({ group: 'g', topics: ['t'], maxBatchRecords: 10, maxWaitMs: 0 });
    await consumer.run(async () => {
      attempted();
      throw new Error('always fails');
    });
    await rejected;
    await withTimeout(consumer.stop(), 2000, 'stop interrupts the redelivery pause');
    expect((await bus.stats())[0]?.committed.get('g')).toBe(0n);
    await bus.shutdown();
  });

  it('starts where startOffsets says, overriding the committed offset', async () => {
    const { bus } = await openBus(dir);
    await sendN(bus, 0, 10);
    await consume(bus, { group: 'writer', topics: ['t'] }, 10);
    const replay = (await consume(bus, { group: 'writer', topics: ['t'], startOffsets: new Map([['t/0', 3n]]) }, 7)).flatMap((b) => b.records);
    expect(replay.map((r) => Number(r.offset))).toEqual([3, 4, 5, 6, 7, 8, 9]);
    await bus.shutdown();
  });

  it('finishes and commits the batch in flight when stopped', async () => {
    const { bus } = await openBus(dir);
    await sendN(bus, 0, 4);
    let release!: () => void;
    const handlerMayFinish = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    let handled = 0;
    const consumer = bus.consumer({ group: 'g', topics: ['t'], maxBatchRecords: 10, maxWaitMs: 0 });
    await consumer.run(async (batch) => {
      started();
      await handlerMayFinish;
      handled += batch.records.length;
    });
    await handlerStarted;
    const stopping = consumer.stop();
    release();
    await stopping;
    expect(handled).toBe(4);
    expect((await bus.stats())[0]?.committed.get('g')).toBe(4n);
    await bus.shutdown();
  });

  it('refuses a second running consumer of the same group and topic', async () => {
    const { bus } = await openBus(dir);
    const a = bus.consumer({ group: 'g', topics: ['t'], maxBatchRecords: 10, maxWaitMs: 0 });
    await a.run(async () => undefined);
    const err: unknown = await bus
      .consumer({ group: 'g', topics: ['t'], maxBatchRecords: 10, maxWaitMs: 0 })
      .run(async () => undefined)
      .catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('conflict');
    await a.stop();
    await bus.shutdown();
  });

  const badOptions = [
    { name: 'a group name with a slash', options: { group: 'a/b', topics: ['t'], maxBatchRecords: 1, maxWaitMs: 0 } },
    { name: 'no topics', options: { group: 'g', topics: [], maxBatchRecords: 1, maxWaitMs: 0 } },
    { name: 'zero maxBatchRecords', options: { group: 'g', topics: ['t'], maxBatchRecords: 0, maxWaitMs: 0 } },
    { name: 'negative maxWaitMs', options: { group: 'g', topics: ['t'], maxBatchRecords: 1, maxWaitMs: -1 } },
  ];
  it.each(badOptions)('rejects consumer options with $name as bad_data', async ({ options }) => {
    const { bus } = await openBus(dir);
    let err: unknown;
    try {
      bus.consumer(options);
    } catch (e) {
      err = e;
    }
    expect(isVigilError(err) && err.code).toBe('bad_data');
    await bus.shutdown();
  });
});
