import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import type { BusPayload } from '../../ingest/index.js';
import { encodePayload, StoreWriter, TOPICS } from '../../ingest/index.js';
import { EmbeddedBus } from '../../ingest/bus/embedded/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { points } from '../storage/samplePoints.js';

/** The store writer on the real embedded bus and the real DuckDB store. */
describe('StoreWriter', () => {
  const T = Date.UTC(2026, 10, 27, 12);
  const silent = createLogger('silent');
  let dir: string;
  let bus: EmbeddedBus;
  let store: DuckDbStore;
  let registry: Registry;

  const open = async (): Promise<void> => {
    registry = new Registry();
    bus = new EmbeddedBus({ dir: join(dir, 'bus'), registry, logger: silent, groupCommitMs: 1 });
    store = new DuckDbStore({ path: join(dir, 'vigil.duckdb'), partitionMs: 24 * 3600_000, registry, logger: silent });
    await bus.start();
    await store.open();
  };
  const close = async (): Promise<void> => {
    await bus.shutdown();
    await store.close();
  };
  const writer = (): StoreWriter => new StoreWriter({ bus, store, maxBatchRecords: 4, maxWaitMs: 5, registry, logger: silent });
  const metrics = (n: number): BusPayload => ({ kind: 'metrics', tenant: 'default', series: [{ labels: { __name__: 'w', n: String(n) }, samples: [{ t: T + n, v: n }] }], metadata: [] });
  const send = (payloads: BusPayload[]): Promise<void> => bus.producer().send(TOPICS.metrics, payloads.map((p) => ({ key: 'default', value: encodePayload(p) })));
  const stored = async (): Promise<number[]> => {
    const series = await store.querier('default', T - 1000, T + 1000_000).selectSamples([{ type: '=', name: '__name__', value: 'w' }]);
    return series.flatMap((s) => points(s).map((x) => x.v)).sort((a, b) => a - b);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
    await open();
  });
  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drains what the bus acknowledged before it stops, and keeps the offset with the data', async () => {
    const w = writer();
    await w.start();
    await send(Array.from({ length: 20 }, (_, n) => metrics(n)));
    await w.shutdown();
    expect(await stored()).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect((await store.committedOffsets('vigil-store-writer')).get(`${TOPICS.metrics}/0`)).toBe(20n);
  });

  it('resumes from the offsets in the store after a restart, without duplicates', async () => {
    const first = writer();
    await first.start();
    await send([metrics(1), metrics(2)]);
    await first.shutdown();
    await close();
    await open();
    await send([metrics(3)]);
    const second = writer();
    await second.start();
    await second.shutdown();
    expect(await stored()).toEqual([1, 2, 3]);
  });

  it('skips an undecodable record, counts it, and writes the records around it', async () => {
    const w = writer();
    await w.start();
    await bus.producer().send(TOPICS.metrics, [
      { key: 'default', value: encodePayload(metrics(1)) },
      { key: 'default', value: new Uint8Array([1, 0xde, 0xad]) },
      { key: 'default', value: encodePayload(metrics(2)) },
    ]);
    await w.shutdown();
    expect(await stored()).toEqual([1, 2]);
    const bad = await registry.getSingleMetric('vigil_writer_undecodable_records_total')?.get();
    expect(bad?.values.reduce((n, v) => n + v.value, 0)).toBe(1);
  });
});
