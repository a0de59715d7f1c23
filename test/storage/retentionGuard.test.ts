import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { partitionTables } from '../support/index.js';
import { points } from './samplePoints.js';

/**
 * The store's own guard: whatever reaches it (a bus replaying records that aged while the writer
 * was down), data older than the retention at write time is dropped and counted, and creates no
 * partition table.
 */
const DAY = 24 * 3600_000;
const NOW = 1_700_000_000_000;
const silent = pino({ level: 'silent' });

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function log(ms: number): LogRecord {
  const ns = BigInt(ms) * 1_000_000n;
  return { timeNs: ns, observedTimeNs: ns, severityNumber: 9, severityText: 'INFO', body: 'x', stream: { job: 'a' }, attributes: {}, resource: {}, traceId: '', spanId: '' };
}


describe('DuckDB store: nothing outside retention is written', () => {
  it.each([
    { name: 'a year-old sample next to a fresh one', samples: [NOW - 365 * DAY, NOW - 1000], logs: [], droppedSamples: 1, droppedLogs: 0, tables: [`samples_p${NOW - (NOW % DAY)}_${NOW - (NOW % DAY) + DAY}`] },
    { name: 'only old samples', samples: [NOW - 16 * DAY, NOW - 30 * DAY], logs: [], droppedSamples: 2, droppedLogs: 0, tables: [] },
    { name: 'an old log record next to a fresh one', samples: [], logs: [NOW - 20 * DAY, NOW], droppedSamples: 0, droppedLogs: 1, tables: [`logs_p${NOW - (NOW % DAY)}_${NOW - (NOW % DAY) + DAY}`] },
    { name: 'a sample just inside the retention is kept', samples: [NOW - 15 * DAY + 1], logs: [], droppedSamples: 0, droppedLogs: 0, tables: [`samples_p${NOW - 15 * DAY + 1 - ((NOW - 15 * DAY + 1) % DAY)}_${NOW - 15 * DAY + 1 - ((NOW - 15 * DAY + 1) % DAY) + DAY}`] },
  ])('$name', async (c) => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-retention-guard-'));
    const path = join(dir, 'vigil.duckdb');
    const registry = new Registry();
    const store = new DuckDbStore({ path, registry, logger: silent, retentionMs: 15 * DAY, now: () => NOW });
    await store.open();
    const appender = store.appender();
    if (c.samples.length > 0) appender.appendSeries('t', { labels: { __name__: 'up' }, samples: c.samples.map((t) => ({ t, v: 1 })) });
    if (c.logs.length > 0) appender.appendLogs('t', c.logs.map(log));
    await appender.commit();

    const fresh = await store.querier('t', NOW - 365 * DAY, NOW).selectSamples([{ name: '__name__', type: '=', value: 'up' }]);
    expect(fresh.flatMap((s) => points(s).map((x) => x.t))).toEqual(c.samples.filter((t) => t >= NOW - 15 * DAY));
    const dropped = await registry.getSingleMetricAsString('vigil_store_dropped_total');
    if (c.droppedSamples > 0) expect(dropped).toContain(`vigil_store_dropped_total{kind="samples",reason="outside_retention"} ${c.droppedSamples}`);
    if (c.droppedLogs > 0) expect(dropped).toContain(`vigil_store_dropped_total{kind="logs",reason="outside_retention"} ${c.droppedLogs}`);
    if (c.droppedSamples + c.droppedLogs === 0) expect(dropped).not.toContain('reason="outside_retention"');
    await store.close();
    expect(await partitionTables(path)).toEqual(c.tables);
  });

  it('writes everything when no retention is given (the option is opt-in)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-retention-guard-'));
    const path = join(dir, 'vigil.duckdb');
    const store = new DuckDbStore({ path, registry: new Registry(), logger: silent, now: () => NOW });
    await store.open();
    const appender = store.appender();
    appender.appendSeries('t', { labels: { __name__: 'up' }, samples: [{ t: NOW - 365 * DAY, v: 1 }] });
    await appender.commit();
    await store.close();
    expect(await partitionTables(path)).toHaveLength(1);
  });
});
