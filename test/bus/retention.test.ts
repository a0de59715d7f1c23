import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isVigilError } from '../../core/index.js';
import { consume, makeTempDir, metricValue, openBus, payload, text } from './busHarness.js';

const segmentFiles = (dir: string): string[] =>
  readdirSync(join(dir, 'topics', 't', '0'))
    .filter((f) => f.endsWith('.log'))
    .sort();

/** 300-byte values, 327-byte frames: with 1 KiB segments, three records per segment. */
const value = (i: number): Uint8Array => payload(`v${i}:`.padEnd(300, '.'));

describe('embedded bus: segments, retention and backpressure', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => cleanup());

  it('rolls segments at segmentBytes and deletes those every group has consumed, keeping the active one', async () => {
    const { bus, registry } = await openBus(dir, { segmentBytes: 1024 });
    for (let i = 0; i < 20; i++) await bus.producer().send('t', [{ key: 'k', value: value(i) }]);
    const rolled = segmentFiles(dir);
    expect(rolled.length).toBe(7);
    expect(rolled[1]).toBe(`${'3'.padStart(20, '0')}.log`);

    // Two groups: nothing goes until the slower one has consumed it too.
    await consume(bus, { group: 'slow', topics: ['t'] }, 0);
    await consume(bus, { group: 'fast', topics: ['t'] }, 20);
    expect(segmentFiles(dir).length).toBe(7);
    await consume(bus, { group: 'slow', topics: ['t'], maxBatchRecords: 7 }, 7);
    expect(segmentFiles(dir).length).toBe(7 - 2);
    await consume(bus, { group: 'slow', topics: ['t'] }, 13);
    expect(segmentFiles(dir)).toEqual([`${'18'.padStart(20, '0')}.log`]);
    expect(await metricValue(registry, 'vigil_bus_deleted_segments_total')).toBe(6);

    // What is left still reads, and the log continues at the same offsets after a reopen.
    await bus.shutdown();
    const reopened = await openBus(dir, { segmentBytes: 1024 });
    await reopened.bus.producer().send('t', [{ key: 'k', value: value(20) }]);
    const tail = (await consume(reopened.bus, { group: 'late', topics: ['t'] }, 3)).flatMap((b) => b.records);
    expect(tail.map((r) => Number(r.offset))).toEqual([18, 19, 20]);
    await reopened.bus.shutdown();
  });

  it('starts at any offset of a multi-segment log using the index', async () => {
    const { bus } = await openBus(dir, { segmentBytes: 1024, indexIntervalBytes: 64 });
    await bus.producer().send('t', Array.from({ length: 3 }, (_, i) => ({ key: 'k', value: value(i) })));
    for (let i = 3; i < 30; i++) await bus.producer().send('t', [{ key: 'k', value: value(i) }]);
    await bus.shutdown();
    // Reopen: sealed segments come back from their index files.
    const reopened = await openBus(dir, { segmentBytes: 1024, indexIntervalBytes: 64 });
    // A registered group that never consumes keeps every segment (consumed ones would be deleted).
    await consume(reopened.bus, { group: 'holder', topics: ['t'] }, 0);
    expect(segmentFiles(dir).length).toBe(10);
    for (const start of [0, 1, 2, 3, 4, 16, 28, 29]) {
      const records = (await consume(reopened.bus, { group: `g${start}`, topics: ['t'], startOffsets: new Map([['t/0', BigInt(start)]]) }, 30 - start)).flatMap(
        (b) => b.records,
      );
      expect(records.map((r) => Number(r.offset))).toEqual(Array.from({ length: 30 - start }, (_, i) => start + i));
      expect(text(records[0]?.value ?? new Uint8Array()).split(':')[0]).toBe(`v${start}`);
    }
    await reopened.bus.shutdown();
  });

  it('rejects sends with too_many_requests once unconsumed bytes exceed maxLagBytes, keeping nothing, and accepts again once consumed', async () => {
    const { bus, registry } = await openBus(dir, { segmentBytes: 1024, maxLagBytes: 2000, retryAfterMs: 250 });
    const producer = bus.producer();
    let accepted = 0;
    let rejection: unknown;
    // No group has registered: the whole topic counts as lag.
    for (let i = 0; i < 20 && rejection === undefined; i++) {
      try {
        await producer.send('t', [{ key: 'k', value: value(i) }]);
        accepted++;
      } catch (err) {
        rejection = err;
      }
    }
    expect(accepted).toBe(7); // 7 × 327 bytes > 2000
    expect(isVigilError(rejection) && rejection.code).toBe('too_many_requests');
    expect(isVigilError(rejection) && rejection.retryAfterMs).toBe(250);
    expect((await bus.stats())[0]?.endOffset).toBe(7n);
    expect(await metricValue(registry, 'vigil_bus_rejected_sends_total')).toBe(1);

    await consume(bus, { group: 'writer', topics: ['t'] }, 7);
    await producer.send('t', [{ key: 'k', value: value(7) }]);
    expect((await bus.stats())[0]?.endOffset).toBe(8n);
    const lagGauge = await registry.getSingleMetric('vigil_bus_consumer_lag_records')?.get();
    expect(lagGauge?.values).toEqual([{ value: 1, labels: { group: 'writer', topic: 't', partition: '0' } }]);
    await bus.shutdown();
  });

  it('forgets a group without a consumer or a commit for groupRetentionMs, freeing what only it held, but never a group that is consuming', async () => {
    // A clock the test moves: the check runs every groupRetentionMs / 10 of real time, but what
    // counts as idle is measured on this clock, however slow the machine is.
    let now = 1_000_000;
    const { bus, registry } = await openBus(dir, { segmentBytes: 1024, maxLagBytes: 3700, groupRetentionMs: 1000, clock: () => now });
    const producer = bus.producer();
    await consume(bus, { group: 'abandoned', topics: ['t'] }, 0); // registers at offset 0, then never runs again
    for (let i = 0; i < 12; i++) await producer.send('t', [{ key: 'k', value: value(i) }]);
    await consume(bus, { group: 'batch-job', topics: ['t'] }, 12); // consumes everything, then stops too
    // A consumer that keeps running but has nothing new to commit is not idle.
    const quiet = bus.consumer({ group: 'quiet', topics: ['t'], maxBatchRecords: 100, maxWaitMs: 0, startOffsets: new Map([['t/0', 12n]]) });
    await quiet.run(async () => undefined);
    expect(segmentFiles(dir)).toHaveLength(4); // 'abandoned', at offset 0, holds them all
    await expect(producer.send('t', [{ key: 'k', value: value(12) }])).rejects.toThrow(/unconsumed bytes/);

    await new Promise((r) => setTimeout(r, 300)); // three checks: all still within the retention
    expect(readdirSync(join(dir, 'groups')).sort()).toEqual(['abandoned.json', 'batch-job.json', 'quiet.json']);
    now += 1001;
    // The check deletes files, then counts, then frees segments: wait for the last of these.
    await vi.waitFor(() => expect(segmentFiles(dir)).toEqual([`${'9'.padStart(20, '0')}.log`]), { timeout: 5000, interval: 20 }); // the active segment stays
    expect(readdirSync(join(dir, 'groups')).sort()).toEqual(['quiet.json']);
    expect(await metricValue(registry, 'vigil_bus_expired_groups_total')).toBe(2);
    await producer.send('t', [{ key: 'k', value: value(12) }]);
    const lagGauge = await registry.getSingleMetric('vigil_bus_consumer_lag_records')?.get();
    expect(lagGauge?.values.map((v) => v.labels.group)).toEqual(['quiet']);
    await quiet.stop();
    await bus.shutdown();
  });
});
