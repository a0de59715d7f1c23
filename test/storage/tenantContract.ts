import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Labels, LogRecord, MetricMetadata, TimeSeries } from '../../core/index.js';
import { formatSeries, toSampleColumns } from '../../core/index.js';
import type { LabelMatcher, Querier, SeriesSamples, Store } from '../../storage/index.js';
import { points, valuesOf } from './samplePoints.js';

/**
 * The Store's tenant invariant (storage/store.ts): a querier never returns anything written under
 * another tenant. Two tenants write the same series, stream and metric names (same labels, so the
 * same series and stream ids) with different values, plus data only they have; every Querier
 * method, asked as either tenant, returns exactly that tenant's data. Each tenant's data carries a
 * marker ('from-a' / 'from-b') in label values, help texts, log bodies and event fields, so that
 * besides the exact expectation, a result's text must not name the other tenant's marker.
 */
export type TenantStoreFactory = (location: string, options: { readonly partitionMs: number }) => Store;

const HOUR = 3600_000;
/** Hour-aligned, so the 1 h partitions start at T0; the data spans two of them. */
const T0 = Date.UTC(2026, 0, 2, 0, 0, 0);
const NS = 1_000_000n;

interface TenantData {
  readonly tenant: string;
  readonly marker: string;
  /** Samples of the series both tenants write ({__name__="shared", job="same"}). */
  readonly shared: Array<[number, number]>;
  readonly only: Labels;
  readonly onlyName: string;
  readonly labelName: string;
}

function tenantData(key: 'a' | 'b', shared: Array<[number, number]>): TenantData {
  const marker = `from-${key}`;
  const labelName = `label_${key}`;
  return { tenant: `tenant-${key}`, marker, shared, only: { __name__: `only_${key}`, marker, [labelName]: 'yes' }, onlyName: `only_${key}`, labelName };
}

/** The same series in both tenants, with different samples (B has one more) and values. */
const A = tenantData('a', [[T0 + 1000, 1], [T0 + HOUR + 1000, 2]]);
const B = tenantData('b', [[T0 + 1000, 10], [T0 + 2000, 20], [T0 + HOUR + 1000, 30]]);

const SHARED: Labels = { __name__: 'shared', job: 'same' };
const SHARED_STREAM: Labels = { app: 'same' };

function series(labels: Labels, samples: Array<[number, number]>): TimeSeries {
  return { labels, samples: samples.map(([t, v]) => ({ t, v })) };
}

function log(offsetMs: number, stream: Labels, body: string): LogRecord {
  const timeNs = BigInt(T0 + offsetMs) * NS;
  return { timeNs, observedTimeNs: timeNs, severityNumber: 9, severityText: 'INFO', body, stream, attributes: {}, resource: {}, traceId: '', spanId: '' };
}

function event(d: TenantData): Event {
  return {
    reason: `Reason-${d.marker}`,
    type: 'Warning',
    involvedObject: { kind: 'Pod', name: `pod-${d.marker}`, namespace: 'prod', uid: `uid-${d.marker}` },
    message: `happened ${d.marker}`,
    count: 1,
    firstSeenMs: T0 + 1000,
    lastSeenMs: T0 + 2000,
    source: 'kubelet',
    labels: { marker: d.marker },
  };
}

const sharedMeta = (d: TenantData): MetricMetadata => ({ metricFamilyName: 'shared', type: 'gauge', unit: '', help: `Shared ${d.marker}.` });
const onlyMeta = (d: TenantData): MetricMetadata => ({ metricFamilyName: d.onlyName, type: 'counter', unit: 'seconds', help: `Only ${d.marker}.` });

const m = (type: LabelMatcher['type'], name: string, value: string): LabelMatcher => ({ type, name, value });
const names = (list: ReadonlyArray<{ labels: Labels }>): string[] => list.map((s) => formatSeries(s.labels)).sort();
const values = (list: readonly SeriesSamples[]): number[][] => list.map(valuesOf);

/** One read through the Querier and what the tenant `d` must get from it. */
type ReadCase = [title: string, read: (q: Querier) => Promise<unknown>, expected: (d: TenantData) => unknown];

const allOf = (d: TenantData): string[] => [formatSeries(d.only), formatSeries(SHARED)].sort();
const logSelection = (matchers: LabelMatcher[]): Parameters<Querier['selectLogs']>[0] => ({ matchers, direction: 'forward', limit: 100 });

const readCases: ReadCase[] = [
  ['selectSeries with no matchers', async (q) => names(await q.selectSeries([])), allOf],
  ['selectSeries {__name__=~".+"}', async (q) => names(await q.selectSeries([m('=~', '__name__', '.+')])), allOf],
  ['selectSeries {__name__=~".*"}', async (q) => names(await q.selectSeries([m('=~', '__name__', '.*')])), allOf],
  ['selectSeries {marker!=""}', async (q) => names(await q.selectSeries([m('!=', 'marker', '')])), (d) => [formatSeries(d.only)]],
  ['selectSeries {marker!~"from-x"}', async (q) => names(await q.selectSeries([m('!~', 'marker', 'from-x')])), allOf],
  ['selectSeries naming the other tenant\'s metric', async (q) => names(await q.selectSeries([m('=~', '__name__', 'only_a|only_b')])), (d) => [formatSeries(d.only)]],
  ['selectSeries with a limit', async (q) => names(await q.selectSeries([], { limit: 10 })), allOf],
  ['selectSamples of the shared series', async (q) => values(await q.selectSamples([m('=', '__name__', 'shared')])), (d) => [d.shared.map(([, v]) => v)]],
  ['selectSamples {__name__=~".+"}', async (q) => names(await q.selectSamples([m('=~', '__name__', '.+')])), allOf],
  ['selectSamples by the shared job', async (q) => (await q.selectSamples([m('=', 'job', 'same')])).flatMap((s) => points(s).map((x) => x.v)), (d) => d.shared.map(([, v]) => v)],
  ['selectSamples with every limit set', async (q) => values(await q.selectSamples([m('=', '__name__', 'shared')], { maxSamples: 1000, maxSeries: 10 })), (d) => [d.shared.map(([, v]) => v)]],
  ['labelNames', (q) => q.labelNames(), (d) => ['__name__', 'job', d.labelName, 'marker'].sort()],
  ['labelNames {__name__=~".+"}', (q) => q.labelNames([m('=~', '__name__', '.+')]), (d) => ['__name__', 'job', d.labelName, 'marker'].sort()],
  ['labelValues __name__', (q) => q.labelValues('__name__'), (d) => [d.onlyName, 'shared']],
  ['labelValues marker', (q) => q.labelValues('marker'), (d) => [d.marker]],
  ['labelValues marker {marker!=""}', (q) => q.labelValues('marker', [m('!=', 'marker', '')]), (d) => [d.marker]],
  ['labelValues of the other tenant\'s label', async (q) => [...(await q.labelValues('label_a')), ...(await q.labelValues('label_b'))], () => ['yes']],
  ['metadata', (q) => q.metadata(), (d) => [onlyMeta(d), sharedMeta(d)].sort((x, y) => x.metricFamilyName.localeCompare(y.metricFamilyName))],
  ['metadata of the shared metric', (q) => q.metadata('shared'), (d) => [sharedMeta(d)]],
  ['metadata of both tenants\' own metrics', async (q) => [...(await q.metadata('only_a')), ...(await q.metadata('only_b'))], (d) => [onlyMeta(d)]],
  ['selectLogs with no matchers', async (q) => (await q.selectLogs(logSelection([]))).map((r) => r.body), (d) => [`shared line ${d.marker}`, `own line ${d.marker}`]],
  ['selectLogs of the shared stream', async (q) => (await q.selectLogs(logSelection([m('=', 'app', 'same')]))).map((r) => r.body), (d) => [`shared line ${d.marker}`]],
  ['selectLogs {app=~".+"}', async (q) => (await q.selectLogs(logSelection([m('=~', 'app', '.+')]))).map((r) => r.body), (d) => [`shared line ${d.marker}`, `own line ${d.marker}`]],
  ['selectLogs {marker!=""}', async (q) => (await q.selectLogs(logSelection([m('!=', 'marker', '')]))).map((r) => r.stream), (d) => [{ app: 'own', marker: d.marker }]],
  ['logLabelNames', (q) => q.logLabelNames(), () => ['app', 'marker']],
  ['logLabelValues app', (q) => q.logLabelValues('app'), () => ['own', 'same']],
  ['logLabelValues marker', (q) => q.logLabelValues('marker'), (d) => [d.marker]],
  ['scanLogs with no matchers', async (q) => scanned(q, []), (d) => [`shared line ${d.marker}`, `own line ${d.marker}`].sort()],
  ['scanLogs {app=~".+"} |= "line"', async (q) => scanned(q, [m('=~', 'app', '.+')]), (d) => [`shared line ${d.marker}`, `own line ${d.marker}`].sort()],
  ['selectStreams {app=~".+"}', async (q) => q.selectStreams([m('=~', 'app', '.+')]), (d) => [{ app: 'own', marker: d.marker }, SHARED_STREAM]],
  ['logStats {app=~".+"}', async (q) => [await q.logStats([m('=~', 'app', '.+')], BigInt(T0 + 1) * NS, BigInt(T0 + 2 * HOUR - 2) * NS)], (d) => [{ streams: 2, chunks: 2, entries: 2, bytes: `shared line ${d.marker}`.length + `own line ${d.marker}`.length }]],
  ['selectEvents with no matchers', async (q) => (await q.selectEvents({ limit: 10 })).map((e) => e.reason), (d) => [`Reason-${d.marker}`]],
  ['selectEvents {reason=~".+"}', async (q) => await q.selectEvents({ matchers: [m('=~', 'reason', '.+')], limit: 10 }), (d) => [event(d)]],
];

/** The lines a LogQL scan returns over both partitions (within either range below), sorted. */
async function scanned(q: Querier, matchers: LabelMatcher[]): Promise<string[]> {
  const lines: string[] = [];
  await q.scanLogs({ matchers, lineFilters: [{ op: '|=', values: ['line'] }], startNs: BigInt(T0 + 1) * NS, endNs: BigInt(T0 + 2 * HOUR - 2) * NS, direction: 'forward' }, (batch) => {
    for (const l of batch) lines.push(l.line);
    return true;
  });
  return lines.sort();
}

/** JSON text of a result (bigints as text), to search for the other tenant's marker. */
const text = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Writes both tenants' data in three batches: A alone, B alone (after A: B's shared series is not new to the store), then both together. */
async function writeBoth(store: Store): Promise<void> {
  const a1 = store.appender();
  a1.appendSeries(A.tenant, series(SHARED, A.shared.slice(0, 1)));
  a1.appendMetadata(A.tenant, sharedMeta(A));
  a1.appendLogs(A.tenant, [log(1000, SHARED_STREAM, `shared line ${A.marker}`)]);
  await a1.commit();
  // B's shared series as sample columns (the writer's path), A's through appendSeries.
  const b1 = store.appender();
  b1.appendSampleColumns(B.tenant, toSampleColumns([series(SHARED, B.shared.slice(0, 2))]));
  b1.appendMetadata(B.tenant, sharedMeta(B));
  b1.appendLogs(B.tenant, [log(1000, SHARED_STREAM, `shared line ${B.marker}`)]);
  await b1.commit();
  const both = store.appender();
  for (const [d, rest] of [[A, A.shared.slice(1)], [B, B.shared.slice(2)]] as const) {
    both.appendSeries(d.tenant, series(SHARED, rest));
    both.appendSeries(d.tenant, series(d.only, [[T0 + 1500, 5]]));
    both.appendMetadata(d.tenant, onlyMeta(d));
    both.appendLogs(d.tenant, [log(HOUR + 1500, { app: 'own', marker: d.marker }, `own line ${d.marker}`)]);
    both.appendEvents(d.tenant, [event(d)]);
  }
  await both.commit();
}

export function describeTenantContract(name: string, makeStore: TenantStoreFactory): void {
  describe(`Store contract, tenants: ${name}`, () => {
    let dir: string;
    let location: string;
    let store: Store;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vigil-tenants-'));
      location = join(dir, 'store');
      store = makeStore(location, { partitionMs: HOUR });
      await store.open();
      await writeBoth(store);
    });

    afterAll(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // Both partitions whole (a store may answer from per-partition summaries) and both cut (rows scanned).
    const ranges: Array<[string, number, number]> = [
      ['partitions covered whole', T0, T0 + 2 * HOUR - 1],
      ['partitions covered in part', T0 + 1, T0 + 2 * HOUR - 2],
    ];
    const table = [A, B].flatMap((d) => ranges.flatMap(([range, minT, maxT]) => readCases.map(([title, read, expected]) => ({ title, read, expected, d, range, minT, maxT }))));

    const check = async ({ read, expected, d, minT, maxT }: (typeof table)[number]): Promise<void> => {
      const other = d === A ? B : A;
      const got = await read(store.querier(d.tenant, minT, maxT));
      expect(got).toEqual(expected(d));
      expect(text(got)).not.toContain(other.marker);
    };

    it.each(table)('$d.tenant, $range: $title sees only its own tenant', check);

    const strangers = ['nobody', '*', "tenant-a' OR '1'='1", 'TENANT-A', 'tenant-a ', ''];
    it.each(strangers)('a tenant that wrote nothing (%j) reads nothing through any method', async (tenant) => {
      const q = store.querier(tenant, T0, T0 + 2 * HOUR - 1);
      const reads = [
        q.selectSeries([]),
        q.selectSeries([m('=~', '__name__', '.+')]),
        q.selectSamples([m('=~', '__name__', '.+')]),
        q.selectSamples([], { maxSamples: 0, maxSeries: 0 }),
        q.labelNames(),
        q.labelValues('__name__'),
        q.labelValues('marker'),
        q.metadata(),
        q.metadata('shared'),
        q.selectLogs(logSelection([])),
        q.logLabelNames(),
        q.logLabelValues('app'),
        q.selectEvents({ limit: 10 }),
      ];
      for (const r of await Promise.all(reads)) expect(r).toEqual([]);
    });

    it('keeps tenants apart after a reopen, and a series new to one tenant is stored even when another has it', async () => {
      await store.close();
      store = makeStore(location, { partitionMs: HOUR });
      await store.open();
      // Tenant C sends the shared series only now: after the reopen, the store knows its id (from A and B) but not for C.
      const c = store.appender();
      c.appendSeries('tenant-c', series(SHARED, [[T0 + 3000, 100]]));
      await c.commit();
      expect(values(await store.querier('tenant-c', T0, T0 + 2 * HOUR - 1).selectSamples([]))).toEqual([[100]]);
      for (const d of [A, B]) for (const c of table.filter((row) => row.d === d)) await check(c);
    });
  });
}
