import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seriesId } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { points } from './samplePoints.js';
import { describeStoreContract } from './storeContract.js';

const silent = pino({ level: 'silent' });

describeStoreContract('DuckDbStore', (location, { partitionMs }) =>
  new DuckDbStore({ path: join(location, 'vigil.duckdb'), partitionMs, registry: new Registry(), logger: silent }),
);

describe('DuckDB behaviour the store relies on', () => {
  it('an appender writes inside the connection\'s explicit transaction: invisible to others until COMMIT, gone on ROLLBACK', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const writer = await instance.connect();
      const reader = await instance.connect();
      await writer.run('CREATE TABLE t (v INTEGER)');
      const count = async (): Promise<unknown> => (await reader.runAndReadAll('SELECT count(*)::INTEGER FROM t')).getRows()[0]?.[0];
      for (const end of ['ROLLBACK', 'COMMIT']) {
        await writer.run('BEGIN TRANSACTION');
        const appender = await writer.createAppender('t');
        appender.appendInteger(1);
        appender.endRow();
        appender.closeSync(); // flushes
        expect(await count()).toBe(0);
        await writer.run(end);
      }
      expect(await count()).toBe(1);
    } finally {
      instance.closeSync();
    }
  });
});

describe('DuckDbStore specifics', () => {
  const HOUR = 3600_000;
  const T0 = Date.UTC(2026, 0, 1);
  let dir: string;
  let path: string;
  let registry: Registry;
  let store: DuckDbStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-duckdb-'));
    path = join(dir, 'vigil.duckdb');
    registry = new Registry();
    store = new DuckDbStore({ path, partitionMs: HOUR, registry, logger: silent });
    await store.open();
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the database file directly, with the store closed. */
  async function rawQuery(sql: string): Promise<unknown[][]> {
    await store.close();
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    try {
      return (await conn.runAndReadAll(sql)).getRows();
    } finally {
      // Close the connection before the instance: an instance whose connection lives on is only
      // released when the garbage collector gets to it, and it would then write the file behind
      // the next store's back.
      conn.closeSync();
      instance.closeSync();
    }
  }

  it('stores one table per partition window and one series row per series, however often it is sent', async () => {
    // A tiny series-id cache (3 per generation) makes every batch roll its generations over.
    const labels = Array.from({ length: 10 }, (_, i) => ({ __name__: 'm', i: String(i) }));
    for (let b = 0; b < 3; b++) {
      const a = store.appender();
      for (const l of labels) a.appendSeries('t', { labels: l, samples: [{ t: T0 + b * HOUR, v: b }] });
      await a.commit();
    }
    expect(await rawQuery('SELECT count(*)::INTEGER, count(DISTINCT series_id)::INTEGER FROM series')).toEqual([[10, 10]]);
    expect(await rawQuery("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'samples_p%' ORDER BY table_name")).toEqual([
      [`samples_p${T0}_${T0 + HOUR}`],
      [`samples_p${T0 + HOUR}_${T0 + 2 * HOUR}`],
      [`samples_p${T0 + 2 * HOUR}_${T0 + 3 * HOUR}`],
    ]);
    expect(await rawQuery('SELECT series_id FROM series ORDER BY series_id')).toEqual(labels.map((l) => [seriesId(l)]).sort((x, y) => ((x[0] as bigint) < (y[0] as bigint) ? -1 : 1)));
  });

  it('lists each series once per partition in its presence table, across batches, reopen and a lost presence table', async () => {
    const send = async (b: number): Promise<void> => {
      const a = store.appender();
      for (let i = 0; i < 5; i++) a.appendSeries('t', { labels: { __name__: 'm', i: String(i) }, samples: [{ t: T0 + b, v: b }] });
      a.appendSeries('t', { labels: { __name__: 'm', i: '0' }, samples: [{ t: T0 + b + 1, v: b }] }); // twice in one batch
      await a.commit();
    };
    await send(0);
    await send(10);
    await store.close();
    store = new DuckDbStore({ path, partitionMs: HOUR, registry: new Registry(), logger: silent });
    await store.open();
    await send(20);
    const presence = `series_in_p${T0}_${T0 + HOUR}`;
    expect(await rawQuery(`SELECT count(*)::INTEGER, count(DISTINCT series_id)::INTEGER FROM ${presence}`)).toEqual([[5, 5]]);
    // A partition found without its presence table gets one rebuilt on open.
    const instance = await DuckDBInstance.create(path); // rawQuery closed the store
    const conn = await instance.connect();
    await conn.run(`DROP TABLE ${presence}`);
    conn.closeSync();
    instance.closeSync();
    store = new DuckDbStore({ path, partitionMs: HOUR, registry: new Registry(), logger: silent });
    await store.open();
    expect(await store.querier('t', T0, T0 + HOUR - 1).labelValues('i')).toEqual(['0', '1', '2', '3', '4']);
    expect(await rawQuery(`SELECT count(*)::INTEGER FROM ${presence}`)).toEqual([[5]]);
  });

  it('rewrites a samples window in series order once time moves on to the next, keeping every sample', async () => {
    // Arrival order interleaves series: at each minute, series 0..19.
    for (let minute = 0; minute < 50; minute += 10) {
      const a = store.appender();
      for (let i = 0; i < 20; i++) {
        a.appendSeries('t', { labels: { __name__: 'm', i: String(i) }, samples: Array.from({ length: 10 }, (_, k) => ({ t: T0 + (minute + k) * 60_000, v: i })) });
      }
      await a.commit();
    }
    const first = `samples_p${T0}_${T0 + HOUR}`;
    const inOrder = `SELECT bool_and(coalesce(series_id >= prev, true)) FROM (SELECT series_id, lag(series_id) OVER (ORDER BY rowid) AS prev FROM ${first})`;
    const next = store.appender();
    next.appendSeries('t', { labels: { __name__: 'm', i: '0' }, samples: [{ t: T0 + HOUR, v: 0 }] });
    await next.commit(); // opens the next window: the first one gets sorted behind this commit
    const q = store.querier('t', T0, T0 + HOUR);
    const during = await q.selectSamples([]);
    expect(during.map((s) => s.timestamps.filter((t) => t < T0 + HOUR).length)).toEqual(Array.from({ length: 20 }, () => 50));
    expect(await rawQuery(`SELECT count(*)::INTEGER, (${inOrder}), (SELECT comment FROM duckdb_tables() WHERE table_name = '${first}') FROM ${first}`)).toEqual([[1000, true, 'sorted by series']]);
    // Reopened, the store knows the window is sorted and answers the same.
    store = new DuckDbStore({ path, partitionMs: HOUR, registry: new Registry(), logger: silent });
    await store.open();
    const after = await store.querier('t', T0, T0 + HOUR - 1).selectSamples([]);
    expect(after.map((s) => points(s).length)).toEqual(Array.from({ length: 20 }, () => 50));
    expect(after.every((s) => points(s).every((x, k) => k === 0 || x.t > (points(s)[k - 1]?.t ?? 0)))).toBe(true);
  });

  it('retention drops partition tables and forgets series left without samples', async () => {
    const a = store.appender();
    a.appendSeries('t', { labels: { __name__: 'old' }, samples: [{ t: T0, v: 1 }] });
    a.appendSeries('t', { labels: { __name__: 'kept' }, samples: [{ t: T0, v: 1 }, { t: T0 + HOUR, v: 2 }] });
    await a.commit();
    expect(await store.applyRetention(T0 + HOUR)).toBe(1);
    expect(await rawQuery("SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name LIKE 'samples_p%' OR table_name LIKE 'series_in_p%'")).toEqual([[2]]);
    expect(await rawQuery('SELECT metric FROM series')).toEqual([['kept']]);
  });

  it('queries racing retention and close neither fail on dropped partitions nor hang', async () => {
    const a = store.appender();
    for (let h = 0; h < 4; h++) a.appendSeries('t', { labels: { __name__: 'm', h: String(h) }, samples: [{ t: T0 + h * HOUR, v: h }] });
    await a.commit();
    const q = store.querier('t', T0, T0 + 4 * HOUR);
    const queries = Array.from({ length: 30 }, () => q.selectSamples([]));
    const dropped = Promise.all([store.applyRetention(T0 + HOUR), store.applyRetention(T0 + 2 * HOUR)]);
    const results = await Promise.all(queries);
    expect(await dropped).toEqual([1, 1]);
    // Each query saw the partitions as they were at some moment: always the newest two series.
    for (const r of results) expect(r.map((s) => s.labels['h']).slice(-2)).toEqual(['2', '3']);
    expect((await q.selectSamples([])).map((s) => s.labels['h'])).toEqual(['2', '3']);
    // close() waits for queries in flight; queries asked after it are refused.
    const inFlight = q.selectSeries([]);
    const closed = store.close();
    await expect(inFlight).resolves.toHaveLength(2);
    await closed;
    expect(() => store.querier('t', T0, T0)).toThrow(/not open/);
  });

  it('keeps offsets append-only and prunes superseded offset rows on retention, across reopen', async () => {
    for (let i = 1; i <= 5; i++) {
      const a = store.appender();
      a.setOffset('w', 'p/0', BigInt(i * 10));
      if (i % 2 === 0) a.setOffset('w', 'p/1', BigInt(i));
      await a.commit();
    }
    await store.close();
    store = new DuckDbStore({ path, partitionMs: HOUR, registry: new Registry(), logger: silent });
    await store.open();
    const a = store.appender();
    a.setOffset('w', 'p/0', 5n); // after reopen, commit numbers continue: this row is the newest
    await a.commit();
    expect(await store.committedOffsets('w')).toEqual(new Map([['p/0', 5n], ['p/1', 4n]]));
    await store.applyRetention(T0);
    expect(await store.committedOffsets('w')).toEqual(new Map([['p/0', 5n], ['p/1', 4n]]));
    expect(await rawQuery('SELECT topic_partition, next_offset FROM consumer_offsets ORDER BY topic_partition')).toEqual([
      ['p/0', 5n],
      ['p/1', 4n],
    ]);
  });

  it('reports rows appended, commit durations and partitions in its registry', async () => {
    const a = store.appender();
    a.appendSeries('t', { labels: { __name__: 'up' }, samples: [{ t: T0, v: 1 }, { t: T0 + HOUR, v: 1 }] });
    a.appendLogs('t', [{ timeNs: BigInt(T0) * 1_000_000n, observedTimeNs: 0n, severityNumber: 0, severityText: '', body: 'x', stream: {}, attributes: {}, resource: {}, traceId: '', spanId: '' }]);
    await a.commit();
    await store.querier('t', T0, T0 + HOUR).selectSamples([]);
    const text = await registry.metrics();
    expect(text).toContain('vigil_store_rows_appended_total{table="samples"} 2');
    expect(text).toContain('vigil_store_rows_appended_total{table="series"} 1');
    expect(text).toContain('vigil_store_rows_appended_total{table="logs"} 1');
    expect(text).toContain('vigil_store_commit_duration_seconds_count 1');
    expect(text).toContain('vigil_store_query_duration_seconds_count{op="select_samples"} 1');
    expect(text).toContain('vigil_store_partitions{kind="samples"} 2');
    expect(text).toContain('vigil_store_partitions{kind="logs"} 1');
  });

  it('passes memory and thread limits to DuckDB, and reports a bad one as unavailable', async () => {
    await store.close();
    store = new DuckDbStore({ path, registry: new Registry(), logger: silent, memoryLimit: '256MB', threads: 1 });
    await store.open();
    await store.close();
    const bad = new DuckDbStore({ path, registry: new Registry(), logger: silent, memoryLimit: 'lots' });
    await expect(bad.open()).rejects.toMatchObject({ code: 'unavailable' });
    store = new DuckDbStore({ path, registry: new Registry(), logger: silent }); // afterEach closes it
    await store.open();
  });

  it('refuses a second store on the same file in this process, and allows it once the first is closed', async () => {
    const second = new DuckDbStore({ path: join(dir, '.', 'vigil.duckdb'), registry: new Registry(), logger: silent });
    await expect(second.open()).rejects.toMatchObject({ code: 'unavailable', message: /another store in this process/ });
    await store.close();
    await second.open();
    await second.close();
  });
});
