import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consume, makeTempDir, metricValue, openBus, payload } from './busHarness.js';

describe('embedded bus: group commit', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => cleanup());

  const cases = [
    { name: 'a 5 ms window', groupCommitMs: 5 },
    { name: 'no window (only sends arriving during an fsync share it)', groupCommitMs: 0 },
  ];
  it.each(cases)('makes many concurrent sends durable with fewer fsyncs, $name', async ({ groupCommitMs }) => {
    const { bus, registry } = await openBus(dir, { groupCommitMs });
    const producer = bus.producer();
    const sends = 200;
    await Promise.all(Array.from({ length: sends }, (_, i) => producer.send('t', [{ key: `k${i % 7}`, value: payload(`v${i}`) }])));

    const fsyncs = await metricValue(registry, 'vigil_bus_fsyncs_total');
    const rounds = await metricValue(registry, 'vigil_bus_group_commit_sends', '_count');
    const covered = await metricValue(registry, 'vigil_bus_group_commit_sends', '_sum');
    expect(covered).toBe(sends);
    expect(fsyncs).toBeGreaterThanOrEqual(1);
    expect(fsyncs).toBeLessThan(sends / 4);
    expect(rounds).toBe(fsyncs); // one topic, one partition: one fdatasync per round
    expect(await metricValue(registry, 'vigil_bus_fsync_duration_seconds', '_count')).toBe(rounds);
    expect(await metricValue(registry, 'vigil_bus_appended_records_total')).toBe(sends);

    const records = (await consume(bus, { group: 'g', topics: ['t'], maxBatchRecords: 1000 }, sends)).flatMap((b) => b.records);
    expect(records.map((r) => Number(r.offset))).toEqual(Array.from({ length: sends }, (_, i) => i));
    await bus.shutdown();
  });

  it('completes pending sends on shutdown, and they survive a reopen', async () => {
    const { bus } = await openBus(dir, { groupCommitMs: 50 });
    const producer = bus.producer();
    const sends = Array.from({ length: 20 }, (_, i) => producer.send('t', [{ key: 'k', value: payload(`v${i}`) }]));
    await bus.shutdown();
    await Promise.all(sends);
    const reopened = await openBus(dir);
    expect((await reopened.bus.stats())[0]?.endOffset).toBe(20n);
    await reopened.bus.shutdown();
  });

  it('fsyncs every written partition of a round, across topics', async () => {
    const { bus, registry } = await openBus(dir, { groupCommitMs: 20, partitions: 2 });
    const producer = bus.producer();
    // Keys chosen to land in both partitions of each topic.
    const keys = Array.from({ length: 16 }, (_, i) => `tenant-${i}`);
    await Promise.all(['a', 'b'].flatMap((topic) => keys.map((key) => producer.send(topic, [{ key, value: payload(key) }]))));
    expect(await metricValue(registry, 'vigil_bus_group_commit_sends', '_count')).toBe(1);
    expect(await metricValue(registry, 'vigil_bus_fsyncs_total')).toBe(4);
    await bus.shutdown();
  });
});
