import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { isVigilError } from '../../core/index.js';
import { EmbeddedBus } from '../../ingest/bus/embedded/index.js';
import type { BusRecord } from '../../ingest/index.js';
import { consume, makeTempDir, openBus, payload, text } from './busHarness.js';

describe('embedded bus: produce and consume', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => cleanup());

  it('delivers records in send order with dense offsets from 0, in batches of at most maxBatchRecords', async () => {
    const { bus } = await openBus(dir);
    const producer = bus.producer();
    const before = Date.now();
    await producer.send('t', [{ key: 'a', value: payload('r0') }]);
    await producer.send('t', [
      { key: 'a', value: payload('r1') },
      { key: 'a', value: payload('r2') },
    ]);
    await producer.send('t', [{ key: 'a', value: new Uint8Array(0) }, { key: 'a', value: payload('r4') }]);

    const batches = await consume(bus, { group: 'g', topics: ['t'], maxBatchRecords: 2 }, 5);
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(records.map((r) => text(r.value))).toEqual(['r0', 'r1', 'r2', '', 'r4']);
    for (const r of records) {
      expect(r).toMatchObject({ topic: 't', partition: 0, key: 'a' });
      expect(r.timestamp).toBeGreaterThanOrEqual(before);
    }
    for (const b of batches) {
      expect(b.records.length).toBeLessThanOrEqual(2);
      expect(b.nextOffset).toBe((b.records[b.records.length - 1]?.offset ?? -1n) + 1n);
    }
    expect(batches[batches.length - 1]?.lag).toBe(0n);

    const [stats] = await bus.stats();
    expect(stats).toMatchObject({ topic: 't', partition: 0, endOffset: 5n });
    expect(stats?.committed.get('g')).toBe(5n);
    await bus.shutdown();
  });

  it('gathers up to maxBatchRecords within maxWaitMs', async () => {
    const { bus } = await openBus(dir);
    const consumer = bus.consumer({ group: 'g', topics: ['t'], maxBatchRecords: 50, maxWaitMs: 300 });
    const sizes: number[] = [];
    await consumer.run(async (batch) => void sizes.push(batch.records.length));
    const producer = bus.producer();
    await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send('t', [{ key: 'k', value: payload(`v${i}`) }])));
    await new Promise((r) => setTimeout(r, 400));
    await consumer.stop();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(sizes.length).toBeLessThanOrEqual(2);
    await bus.shutdown();
  });

  it('keeps the records of one key in one partition, in order, chosen by a stable hash', async () => {
    const keys = ['tenant-a', 'tenant-b', 'tenant-c', 'tenant-d', 'tenant-e', 'tenant-f'];
    const records: BusRecord[] = [];
    for (let i = 0; i < 5; i++) for (const key of keys) records.push({ key, value: payload(`${key}:${i}`) });

    const partitionsOf = async (): Promise<Map<string, number[]>> => {
      const { bus } = await openBus(dir, { partitions: 4 });
      await bus.producer().send('t', records);
      const batches = await consume(bus, { group: `g${Math.random().toString(36).slice(2)}`, topics: ['t'] }, records.length);
      const seen = new Map<string, number[]>();
      for (const r of batches.flatMap((b) => b.records)) {
        const [key, index] = text(r.value).split(':') as [string, string];
        expect(r.key).toBe(key);
        const list = seen.get(`${key}@${r.partition}`) ?? [];
        list.push(Number(index));
        seen.set(`${key}@${r.partition}`, list);
      }
      await bus.shutdown();
      return seen;
    };

    const first = await partitionsOf();
    expect(first.size).toBe(keys.length); // each key in exactly one partition
    expect(new Set([...first.keys()].map((k) => k.split('@')[1])).size).toBeGreaterThan(1);
    for (const indices of first.values()) expect(indices.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    const second = await partitionsOf(); // reopened: same partitions for the same keys
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
  });

  const invalid: { name: string; topic: string; records: BusRecord[]; code: string }[] = [
    { name: 'a topic that could escape the directory', topic: '../etc', records: [{ key: 'k', value: payload('x') }], code: 'bad_data' },
    { name: 'an empty topic name', topic: '', records: [{ key: 'k', value: payload('x') }], code: 'bad_data' },
    { name: 'a value that is not bytes', topic: 't', records: [{ key: 'k', value: 'x' as unknown as Uint8Array }], code: 'bad_data' },
    { name: 'a record that is not an object', topic: 't', records: [null as unknown as BusRecord], code: 'bad_data' },
    { name: 'a key that is not a string', topic: 't', records: [{ key: 7 as unknown as string, value: payload('x') }], code: 'bad_data' },
    { name: 'a value over maxRecordBytes', topic: 't', records: [{ key: 'k', value: new Uint8Array(2048) }], code: 'payload_too_large' },
  ];
  it.each(invalid)('rejects $name with $code and keeps nothing', async ({ topic, records, code }) => {
    const { bus } = await openBus(dir, { maxRecordBytes: 1024 });
    await bus.producer().send('t', [{ key: 'k', value: payload('ok') }]);
    const err: unknown = await bus
      .producer()
      .send(topic, [{ key: 'k', value: payload('fine') }, ...records])
      .catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe(code);
    const stats = await bus.stats();
    expect(stats.map((s) => [s.topic, s.endOffset])).toEqual([['t', 1n]]);
    await bus.shutdown();
  });

  it('rejects sends before start and after shutdown as unavailable; shutdown is idempotent', async () => {
    const unstarted = new EmbeddedBus({ dir, registry: new Registry(), logger: pino({ level: 'silent' }) });
    const early: unknown = await unstarted
      .producer()
      .send('t', [{ key: 'k', value: payload('x') }])
      .catch((e: unknown) => e);
    expect(isVigilError(early) && early.code).toBe('unavailable');
    await unstarted.shutdown();

    const { bus } = await openBus(dir);
    await Promise.all([bus.shutdown(), bus.shutdown()]);
    await bus.shutdown();
    const err: unknown = await bus
      .producer()
      .send('t', [{ key: 'k', value: payload('x') }])
      .catch((e: unknown) => e);
    expect(isVigilError(err) && err.code).toBe('unavailable');
  });
});
