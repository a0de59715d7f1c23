import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event, Labels, LogRecord, TimeSeries } from '../../core/index.js';
import { formatSeries, isStaleNaN, seriesId, STALE_NAN, toSampleColumns, VigilError } from '../../core/index.js';
import type { LabelMatcher, LogLineFilter, LogSelection, SelectHints, SeriesSamples, Store } from '../../storage/index.js';
import { TOO_MANY_SAMPLES } from '../../storage/index.js';
import { points } from './samplePoints.js';
import { describeTenantContract } from './tenantContract.js';

/**
 * The Store contract (storage/store.ts) as a table-driven suite every engine must pass.
 * `makeStore` builds a store at `location` (a fresh directory per test; engines that are not
 * file-based derive a database name from it). Calling it again with the same location must
 * reach the same data: that is how "reopen keeps data" is checked.
 */
export type StoreFactory = (location: string, options: { readonly partitionMs: number }) => Store;

const HOUR = 3600_000;
/** An hour-aligned instant, so partition windows (1 h in this suite) start at T0. */
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const NS = 1_000_000n;
const TENANT = 'acme';

function series(labels: Labels, samples: Array<[number, number]>): TimeSeries {
  return { labels, samples: samples.map(([t, v]) => ({ t, v })) };
}

function log(offsetMs: number, stream: Labels, body: string, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeNs: BigInt(T0 + offsetMs) * NS,
    observedTimeNs: BigInt(T0 + offsetMs) * NS + 5n,
    severityNumber: 9,
    severityText: 'INFO',
    body,
    stream,
    attributes: {},
    resource: {},
    traceId: '',
    spanId: '',
    ...extra,
  };
}

function event(reason: string, firstSeenMs: number, lastSeenMs: number, extra: Partial<Event> = {}): Event {
  return {
    reason,
    type: 'Warning',
    involvedObject: { kind: 'Pod', name: `pod-${reason}`, namespace: 'prod', uid: `uid-${reason}` },
    message: `${reason} happened`,
    count: 1,
    firstSeenMs,
    lastSeenMs,
    source: 'kubelet',
    labels: {},
    ...extra,
  };
}

const names = (list: ReadonlyArray<{ labels: Labels }>): string[] => list.map((s) => formatSeries(s.labels)).sort();
const m = (type: LabelMatcher['type'], name: string, value: string): LabelMatcher => ({ type, name, value });

async function commit(store: Store, fill: (a: ReturnType<Store['appender']>) => void): Promise<void> {
  const a = store.appender();
  fill(a);
  await a.commit();
}

export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  // Tenant isolation has its own file (two tenants, every Querier method); every engine runs it too.
  describeTenantContract(name, makeStore);
  describe(`Store contract: ${name}`, () => {
    let dir: string;
    let store: Store;
    let location: string;
    const extra: Store[] = [];

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
      location = join(dir, 'store');
      store = makeStore(location, { partitionMs: HOUR });
      await store.open();
    });

    afterEach(async () => {
      await store.close();
      for (const s of extra.splice(0)) await s.close();
      rmSync(dir, { recursive: true, force: true });
    });

    describe('series selection with matchers', () => {
      const data: TimeSeries[] = [
        series({ __name__: 'up', job: 'api', instance: 'a' }, [[T0 + 1000, 1]]),
        series({ __name__: 'up', job: 'api', instance: 'b' }, [[T0 + 1000, 1]]),
        series({ __name__: 'up', job: 'api-2', instance: 'c' }, [[T0 + 1000, 0]]),
        series({ __name__: 'node_load1', instance: 'a' }, [[T0 + 2000, 0.5]]),
        series({ __name__: 'http_requests_total', job: 'api', path: '/x\ny' }, [[T0 + 3000, 10]]),
      ];
      beforeEach(() => commit(store, (a) => data.forEach((s) => a.appendSeries(TENANT, s))));

      const cases: Array<[string, LabelMatcher[], string[]]> = [
        ['= on the metric name', [m('=', '__name__', 'up')], ['up{instance="a", job="api"}', 'up{instance="b", job="api"}', 'up{instance="c", job="api-2"}']],
        ['= on a label', [m('=', '__name__', 'up'), m('=', 'job', 'api')], ['up{instance="a", job="api"}', 'up{instance="b", job="api"}']],
        ['!= on a label', [m('=', '__name__', 'up'), m('!=', 'job', 'api')], ['up{instance="c", job="api-2"}']],
        ['=~ is fully anchored', [m('=~', 'job', 'api')], ['http_requests_total{job="api", path="/x\\ny"}', 'up{instance="a", job="api"}', 'up{instance="b", job="api"}']],
        ['=~ with a wildcard', [m('=', '__name__', 'up'), m('=~', 'job', 'api.*')], ['up{instance="a", job="api"}', 'up{instance="b", job="api"}', 'up{instance="c", job="api-2"}']],
        ['!~ is fully anchored', [m('=', '__name__', 'up'), m('!~', 'job', 'api')], ['up{instance="c", job="api-2"}']],
        ['a missing label equals ""', [m('=', 'job', '')], ['node_load1{instance="a"}']],
        ['!= "" requires the label', [m('!=', 'instance', ''), m('!=', 'job', '')], ['up{instance="a", job="api"}', 'up{instance="b", job="api"}', 'up{instance="c", job="api-2"}']],
        ['a regex that matches "" also selects series without the label', [m('=~', 'job', 'api-2|'), m('=~', '__name__', 'up|node_load1')], ['node_load1{instance="a"}', 'up{instance="c", job="api-2"}']],
        ['=~ on the metric name with alternation', [m('=~', '__name__', 'node_.*|http_.+')], ['http_requests_total{job="api", path="/x\\ny"}', 'node_load1{instance="a"}']],
        // Prometheus 2.42 (Go's RE2 defaults): `.` stops at a newline unless the pattern says (?s).
        ['. does not match a newline, as in Prometheus 2.42', [m('=~', 'path', '/x.y')], []],
        ['(?s) lets . match a newline', [m('=~', 'path', '(?s)/x.y')], ['http_requests_total{job="api", path="/x\\ny"}']],
        ['(?i) matches case-insensitively (RE2)', [m('=~', 'job', '(?i)API')], ['http_requests_total{job="api", path="/x\\ny"}', 'up{instance="a", job="api"}', 'up{instance="b", job="api"}']],
        ['values are matched exactly, not as SQL patterns', [m('=', 'job', 'api%')], []],
        ['a value that looks like SQL is only a value', [m('=', 'job', "api' OR '1'='1")], []],
        ['a label name that looks like SQL is only a name', [m('=', "job') OR TRUE OR ('", 'api')], []],
        ['several matchers on one label all apply', [m('=~', 'job', 'api.*'), m('!=', 'job', 'api-2'), m('=', 'instance', 'b')], ['up{instance="b", job="api"}']],
        ['no matchers selects everything', [], data.map((s) => formatSeries(s.labels)).sort()],
      ];
      it.each(cases)('%s', async (_title, matchers, expected) => {
        const got = await store.querier(TENANT, T0, T0 + HOUR).selectSeries(matchers);
        expect(names(got)).toEqual([...expected].sort());
        for (const s of got) expect(s.id).toBe(seriesId(s.labels));
      });

      it.each(['selectSeries', 'selectSamples'] as const)('%s returns series in label order', async (method) => {
        const got = await store.querier(TENANT, T0, T0 + HOUR)[method]([]);
        expect(got.map((s) => formatSeries(s.labels))).toEqual([
          'http_requests_total{job="api", path="/x\\ny"}',
          'node_load1{instance="a"}',
          'up{instance="a", job="api"}',
          'up{instance="b", job="api"}',
          'up{instance="c", job="api-2"}',
        ]);
      });

      it('only series with samples in range are selected', async () => {
        expect(names(await store.querier(TENANT, T0 + 2000, T0 + 2000).selectSeries([]))).toEqual(['node_load1{instance="a"}']);
        expect(await store.querier(TENANT, T0 + 4000, T0 + HOUR).selectSeries([])).toEqual([]);
      });

      it('limit caps the number of series', async () => {
        expect(await store.querier(TENANT, T0, T0 + HOUR).selectSeries([], { limit: 2 })).toHaveLength(2);
      });

      it('rejects an invalid regular expression as bad_data', async () => {
        await expect(store.querier(TENANT, T0, T0 + HOUR).selectSeries([m('=~', 'job', '(api')])).rejects.toMatchObject({ code: 'bad_data' });
      });

      it('keeps tenants apart', async () => {
        expect(await store.querier('someone-else', T0, T0 + HOUR).selectSeries([])).toEqual([]);
        await commit(store, (a) => a.appendSeries('someone-else', series({ __name__: 'up', job: 'other' }, [[T0 + 1000, 1]])));
        expect(names(await store.querier('someone-else', T0, T0 + HOUR).selectSeries([]))).toEqual(['up{job="other"}']);
        expect(await store.querier(TENANT, T0, T0 + HOUR).selectSeries([m('=', 'job', 'other')])).toEqual([]);
      });
    });

    describe('samples', () => {
      const labels = { __name__: 'temp', room: 'lab' };
      // Appended out of order on purpose: the store sorts by time.
      const raw: Array<[number, number]> = [
        [T0 + 40_000, 8],
        [T0, 1],
        [T0 + 20_000, 3],
        [T0 + 10_000, 5],
        [T0 + 70_000, 4],
        [T0 + 30_000, 2],
      ];
      beforeEach(() => commit(store, (a) => a.appendSeries(TENANT, series(labels, raw))));

      it('returns samples sorted by time within the inclusive range', async () => {
        const [s] = await store.querier(TENANT, T0 + 10_000, T0 + 40_000).selectSamples([m('=', '__name__', 'temp')]);
        expect(s?.labels).toEqual(labels);
        expect(points(s)).toEqual([
          { t: T0 + 10_000, v: 5 },
          { t: T0 + 20_000, v: 3 },
          { t: T0 + 30_000, v: 2 },
          { t: T0 + 40_000, v: 8 },
        ]);
      });

      it('keeps NaN and infinities', async () => {
        await commit(store, (a) =>
          a.appendSeries(TENANT, series({ __name__: 'odd' }, [[T0, Number.NaN], [T0 + 1, Number.POSITIVE_INFINITY], [T0 + 2, Number.NEGATIVE_INFINITY]])),
        );
        const [s] = await store.querier(TENANT, T0, T0 + 10).selectSamples([m('=', '__name__', 'odd')]);
        expect(points(s).map((x) => x.v)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      });

      it('a series sent again is stored once and gathers all its samples', async () => {
        await commit(store, (a) => a.appendSeries(TENANT, series({ room: 'lab', __name__: 'temp' }, [[T0 + 50_000, 6]])));
        const got = await store.querier(TENANT, T0, T0 + HOUR).selectSamples([m('=', '__name__', 'temp')]);
        expect(got).toHaveLength(1);
        expect(points(got[0]).map((x) => x.v)).toEqual([1, 5, 3, 2, 8, 6, 4]);
      });

      it('sample columns store exactly what appendSeries stores for the same series', async () => {
        const cols = toSampleColumns([
          series({ __name__: 'col', i: 'a' }, [[T0 + 1, 1], [T0 + 2, 2]]),
          series({ __name__: 'col', i: 'b' }, []),
          series({ i: 'c', __name__: 'col' }, [[T0 + 5, 5], [T0 + 3, Number.NaN], [T0 + 4, 4]]),
        ]);
        await commit(store, (a) => a.appendSampleColumns(TENANT, cols));
        await commit(store, (a) => a.appendSeries(TENANT, series({ __name__: 'col', i: 'a' }, [[T0 + 6, 6]])));
        await commit(store, (a) => a.appendSeries(TENANT, series({ __name__: 'col', i: 'c' }, [[T0 + 7, 7]])));
        const got = await store.querier(TENANT, T0, T0 + 10).selectSamples([m('=', '__name__', 'col')]);
        expect(got.map((x) => [x.labels, points(x).map((p) => [p.t - T0, p.v])])).toEqual([
          [{ __name__: 'col', i: 'a' }, [[1, 1], [2, 2], [6, 6]]],
          [{ __name__: 'col', i: 'c' }, [[3, Number.NaN], [4, 4], [5, 5], [7, 7]]],
        ]);
      });

      // One good series {__name__="x"} with one sample, then the defect.
      const good = { symbols: ['__name__', 'x'], pairs: Uint32Array.from([0, 1]), seriesPairs: Uint32Array.from([0]), pairCounts: Uint32Array.from([1]), counts: Uint32Array.from([1]), t: Float64Array.from([T0]), v: Float64Array.from([1]) };
      // The defective batches carry value 2, so a sample buffered from one of them would show.
      const bad = { ...good, v: Float64Array.from([2]) };
      it.each([
        ['counts that do not match the columns', { ...bad, counts: Uint32Array.from([2]) }, /hold 1 times and 1 values for 2 samples/],
        ['a series without a name', { ...bad, symbols: ['job', 'x'] }, /no metric name/],
        ['an empty metric name', { ...bad, symbols: ['__name__', ''] }, /no metric name/],
        ['a fractional timestamp', { ...bad, t: Float64Array.from([T0 + 0.5]) }, /expected an integer/],
        ['a label pair naming a missing symbol', { ...bad, pairs: Uint32Array.from([0, 7]) }, /refers to symbol 7 of 2/],
        ['a series naming a missing pair', { ...bad, seriesPairs: Uint32Array.from([3]) }, /refers to label pair 3 of 1/],
        ['a label name twice in a series', { ...bad, symbols: ['__name__', 'x', 'y'], pairs: Uint32Array.from([0, 1, 0, 2]), seriesPairs: Uint32Array.from([0, 1]), pairCounts: Uint32Array.from([2]) }, /has label __name__ twice/],
        ['a repeated symbol', { ...bad, symbols: ['__name__', 'x', 'x'] }, /repeat a symbol/],
        ['label counts for another number of series', { ...bad, pairCounts: Uint32Array.from([1, 1]) }, /count labels for 2 series but samples for 1/],
      ])('rejects sample columns with %s as bad_data, buffering nothing', async (_title, cols, message) => {
        const a = store.appender();
        a.appendSeries(TENANT, series({ __name__: 'kept' }, [[T0, 1]]));
        expect(() => a.appendSampleColumns(TENANT, good)).not.toThrow();
        expect(() => a.appendSampleColumns(TENANT, cols)).toThrow(message);
        await a.commit();
        const got = await store.querier(TENANT, T0, T0 + 10).selectSeries([m('=~', '__name__', 'kept|x|y')]);
        expect(names(got)).toEqual(['kept', 'x']);
        const [x] = await store.querier(TENANT, T0, T0 + 10).selectSamples([m('=', '__name__', 'x')]);
        expect(points(x).map((p) => p.v)).toEqual([1]);
      });

      it('label sets that join to the same text stay distinct series', async () => {
        const tricky: Labels[] = [
          { __name__: 'tricky', a: 'b\xffc\xff' },
          { __name__: 'tricky', a: 'b', c: '' },
          { __name__: 'tricky', a: '1:b', c: '1:' },
          { __name__: 'tricky', a: '1', c: 'b1:' },
        ];
        for (let round = 0; round < 2; round++) await commit(store, (a) => tricky.forEach((l, i) => a.appendSeries(TENANT, series(l, [[T0 + round, i]]))));
        const got = await store.querier(TENANT, T0, T0 + 1).selectSamples([m('=', '__name__', 'tricky')]);
        expect(got.map((s) => [s.id, points(s).map((x) => x.v)])).toEqual(
          expect.arrayContaining(tricky.map((l, i) => [seriesId(l), [i, i]])),
        );
        expect(got).toHaveLength(tricky.length);
      });

      it('reads across partitions', async () => {
        await commit(store, (a) => a.appendSeries(TENANT, series(labels, [[T0 + 2 * HOUR + 1, 9], [T0 + HOUR, 7]])));
        const [s] = await store.querier(TENANT, T0 + 70_000, T0 + 3 * HOUR).selectSamples([m('=', '__name__', 'temp')]);
        expect(points(s)).toEqual([
          { t: T0 + 70_000, v: 4 },
          { t: T0 + HOUR, v: 7 },
          { t: T0 + 2 * HOUR + 1, v: 9 },
        ]);
      });
    });

    describe('selectSamples: columns, limits, cancellation', () => {
      // Three series over three 1 h partitions, appended out of time order across commits, one
      // with a staleness marker: 4 + 3 + 2 = 9 samples in [T0, T0 + 3h).
      const MIN = 60_000;
      const written: Array<[Labels, Array<[number, number]>]> = [
        [{ __name__: 'cols', i: 'a' }, [[T0 + 2 * HOUR + MIN, 4], [T0 + MIN, 1], [T0 + HOUR + 5 * MIN, 3], [T0 + HOUR, 2]]],
        [{ __name__: 'cols', i: 'b' }, [[T0 + 2 * MIN, 10], [T0 + HOUR + MIN, STALE_NAN], [T0 + MIN, 9]]],
        [{ __name__: 'cols', i: 'c' }, [[T0 + 2 * HOUR + 2 * MIN, 21], [T0 + 3 * MIN, 20]]],
      ];
      beforeEach(async () => {
        // Each series' samples in two commits, the later ones first, so no partition holds them in time order.
        await commit(store, (a) => written.forEach(([labels, samples]) => a.appendSeries(TENANT, series(labels, samples.slice(0, 2)))));
        await commit(store, (a) => written.forEach(([labels, samples]) => a.appendSeries(TENANT, series(labels, samples.slice(2)))));
      });
      const cols = [m('=', '__name__', 'cols')];

      /** What every selectSamples answer must look like: typed columns of one length, sorted, inside the range. */
      function expectColumns(got: readonly SeriesSamples[], minT: number, maxT: number): void {
        for (const s of got) {
          expect(s.timestamps).toBeInstanceOf(Float64Array);
          expect(s.values).toBeInstanceOf(Float64Array);
          expect(s.values.length).toBe(s.timestamps.length);
          expect(s.timestamps.length).toBeGreaterThan(0);
          expect(s.id).toBe(seriesId(s.labels));
          s.timestamps.forEach((t, k) => {
            expect(t).toBeGreaterThanOrEqual(minT);
            expect(t).toBeLessThanOrEqual(maxT);
            if (k > 0) expect(t).toBeGreaterThanOrEqual(s.timestamps[k - 1] as number);
          });
        }
      }

      const ranges: Array<[string, number, number, Record<string, number[]>]> = [
        ['all three partitions', T0, T0 + 3 * HOUR - 1, { a: [1, 2, 3, 4], b: [9, 10, Number.NaN], c: [20, 21] }],
        ['one partition', T0 + HOUR, T0 + 2 * HOUR - 1, { a: [2, 3], b: [Number.NaN] }],
        ['a range cutting two partitions', T0 + 2 * MIN, T0 + HOUR, { a: [2], b: [10], c: [20] }],
        ['a range with no sample', T0 + 4 * MIN, T0 + HOUR - 1, {}],
      ];
      it.each(ranges)('over %s: one pair of columns per series, sorted, within range', async (_title, minT, maxT, want) => {
        const got = await store.querier(TENANT, minT, maxT).selectSamples(cols);
        expectColumns(got, minT, maxT);
        expect(Object.fromEntries(got.map((s) => [s.labels['i'], Array.from(s.values)]))).toEqual(want);
      });

      it('keeps staleness markers as such', async () => {
        const [, b] = await store.querier(TENANT, T0, T0 + 3 * HOUR).selectSamples(cols);
        expect(isStaleNaN(b?.values[2] ?? 0)).toBe(true);
      });

      const tooManySeries = (n: number): VigilError => new VigilError('limit_exceeded', `the query hit the max number of series limit (limit: ${n} series)`);
      /** The whole answer: 3 series, 9 samples. */
      const everything = { series: 3, samples: 9 };
      const limits: Array<[string, SelectHints, VigilError | { series: number; samples?: number }]> = [
        ['maxSamples equal to the samples read', { maxSamples: 9 }, everything],
        ['maxSamples one short', { maxSamples: 8 }, new VigilError('limit_exceeded', TOO_MANY_SAMPLES)],
        ['maxSamples 0', { maxSamples: 0 }, new VigilError('limit_exceeded', TOO_MANY_SAMPLES)],
        ['maxSamples Infinity', { maxSamples: Infinity }, everything],
        ['maxSeries equal to the series read', { maxSeries: 3 }, everything],
        ['maxSeries one short', { maxSeries: 2 }, tooManySeries(2)],
        ['maxSeries 0', { maxSeries: 0 }, tooManySeries(0)],
        ['maxSeries above a limit that keeps fewer series', { maxSeries: 2, limit: 1 }, { series: 1 }],
        ['both limits, series first', { maxSeries: 1, maxSamples: 1 }, tooManySeries(1)],
        // Hints describe what the caller will do; they never change what is returned.
        ['every informational hint', { startMs: T0, endMs: T0 + HOUR, rangeMs: 5 * MIN, func: 'rate', grouping: { by: true, labels: ['i'] } }, everything],
      ];
      it.each(limits)('%s', async (_title, hints, want) => {
        const read = store.querier(TENANT, T0, T0 + 3 * HOUR - 1).selectSamples(cols, hints);
        if (!(want instanceof VigilError)) {
          const got = await read;
          expectColumns(got, T0, T0 + 3 * HOUR - 1);
          expect(got).toHaveLength(want.series);
          if (want.samples !== undefined) expect(got.reduce((n, s) => n + s.timestamps.length, 0)).toBe(want.samples);
        } else {
          await expect(read).rejects.toMatchObject({ code: want.code, message: want.message });
        }
      });

      it('maxSeries counts the series with samples in range, not every series whose labels match', async () => {
        // Over [T0 + 1 h, T0 + 2 h) only a and b have samples; c matches the labels but has none there.
        const q = () => store.querier(TENANT, T0 + HOUR, T0 + 2 * HOUR - 1);
        expect((await q().selectSamples(cols, { maxSeries: 2 })).map((s) => s.labels['i'])).toEqual(['a', 'b']);
        await expect(q().selectSamples(cols, { maxSeries: 1 })).rejects.toMatchObject({ code: 'limit_exceeded', message: tooManySeries(1).message });
      });

      const aborted: Array<[string, unknown, { code: string }]> = [
        ['a VigilError reason rejects with it', new VigilError('canceled', 'client went away'), { code: 'canceled' }],
        ['any other reason rejects as a timeout', new Error('deadline'), { code: 'timeout' }],
      ];
      it.each(aborted)('an aborted querier reads nothing: %s', async (_title, reason, want) => {
        const q = store.querier(TENANT, T0, T0 + 3 * HOUR, { signal: AbortSignal.abort(reason) });
        await expect(q.selectSamples(cols)).rejects.toMatchObject(want);
        await expect(q.selectSeries(cols)).rejects.toMatchObject(want);
      });
    });

    describe('ranges over several partitions', () => {
      // Partitions are 1 h wide. The range [T0+30m, T0+3h30m] covers [1h,2h) and [2h,3h) whole
      // and [0,1h), [3h,4h) in part: data in the partial ones counts only inside the range.
      const MIN = 60_000;
      const at: Array<[string, number]> = [
        ['edge_out', 10 * MIN],
        ['edge_in', 40 * MIN],
        ['middle', 90 * MIN],
        ['tail_in', 190 * MIN],
        ['tail_out', 225 * MIN],
      ];
      beforeEach(() =>
        commit(store, (a) => {
          for (const [name, offset] of at) {
            a.appendSeries(TENANT, series({ __name__: name }, [[T0 + offset, 1]]));
            a.appendLogs(TENANT, [log(offset, { app: name }, name)]);
          }
        }),
      );
      const cases: Array<[string, number, number, string[]]> = [
        ['whole and partial partitions', T0 + 30 * MIN, T0 + 210 * MIN, ['edge_in', 'middle', 'tail_in']],
        ['exactly one whole partition', T0 + HOUR, T0 + 2 * HOUR - 1, ['middle']],
        ['within one partition', T0 + 5 * MIN, T0 + 15 * MIN, ['edge_out']],
        ['everything', T0, T0 + 4 * HOUR, ['edge_in', 'edge_out', 'middle', 'tail_in', 'tail_out']],
        ['between samples', T0 + 41 * MIN, T0 + 89 * MIN, []],
      ];
      it.each(cases)('series, label values and log streams in range: %s', async (_title, minT, maxT, expected) => {
        const q = store.querier(TENANT, minT, maxT);
        expect(await q.labelValues('__name__')).toEqual(expected);
        expect(names(await q.selectSeries([]))).toEqual(expected);
        expect(await q.logLabelValues('app')).toEqual(expected);
        expect((await q.selectLogs({ matchers: [], direction: 'forward', limit: 10 })).map((r) => r.body).sort()).toEqual(expected);
      });
    });

    describe('labels and metadata', () => {
      beforeEach(() =>
        commit(store, (a) => {
          a.appendSeries(TENANT, series({ __name__: 'up', job: 'api', zone: 'eu' }, [[T0 + 1000, 1]]));
          a.appendSeries(TENANT, series({ __name__: 'up', job: 'db' }, [[T0 + 1000, 1]]));
          a.appendSeries(TENANT, series({ __name__: 'old', job: 'gone', legacy: 'x' }, [[T0 - 2 * HOUR, 1]]));
          a.appendMetadata(TENANT, { metricFamilyName: 'up', type: 'gauge', unit: '', help: 'Target is up.' });
          a.appendMetadata(TENANT, { metricFamilyName: 'old', type: 'counter', unit: 'seconds', help: 'Old.' });
        }),
      );
      const q = (): ReturnType<Store['querier']> => store.querier(TENANT, T0, T0 + HOUR);

      it('label names of series in range, sorted', async () => {
        expect(await q().labelNames()).toEqual(['__name__', 'job', 'zone']);
        expect(await q().labelNames([m('=', 'job', 'db')])).toEqual(['__name__', 'job']);
      });

      it('label values in range, sorted, optionally restricted by matchers', async () => {
        expect(await q().labelValues('job')).toEqual(['api', 'db']);
        expect(await q().labelValues('__name__')).toEqual(['up']);
        expect(await q().labelValues('job', [m('=', 'zone', 'eu')])).toEqual(['api']);
        expect(await q().labelValues('nope')).toEqual([]);
        expect(await store.querier(TENANT, T0 - 3 * HOUR, T0 + HOUR).labelValues('job')).toEqual(['api', 'db', 'gone']);
      });

      it('metadata per metric, replaced when sent again', async () => {
        expect(await q().metadata('up')).toEqual([{ metricFamilyName: 'up', type: 'gauge', unit: '', help: 'Target is up.' }]);
        expect((await q().metadata()).map((x) => x.metricFamilyName)).toEqual(['old', 'up']);
        await commit(store, (a) => a.appendMetadata(TENANT, { metricFamilyName: 'up', type: 'gauge', unit: '', help: 'Better help.' }));
        expect(await q().metadata('up')).toEqual([{ metricFamilyName: 'up', type: 'gauge', unit: '', help: 'Better help.' }]);
        expect(await store.querier('nobody', T0, T0 + HOUR).metadata()).toEqual([]);
      });
    });

    describe('logs', () => {
      const web = { app: 'web', env: 'prod' };
      const db = { app: 'db', env: 'prod' };
      const dev = { app: 'web', env: 'dev' };
      const records: LogRecord[] = [
        log(1000, web, 'GET /a 200'),
        log(2000, db, 'error: connection timeout', { severityNumber: 17, severityText: 'ERROR' }),
        log(3000, web, 'GET /b 500', { attributes: { status: 500, tags: ['x', 'y'], nested: { ok: false } }, resource: { 'service.name': 'web' }, traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }),
        log(4000, dev, 'GET /c 200'),
        log(5000, web, 'POST /login 302'),
      ];
      beforeEach(() => commit(store, (a) => a.appendLogs(TENANT, records)));
      const sel = (over: Partial<LogSelection>): LogSelection => ({ matchers: [], direction: 'forward', limit: 100, ...over });
      const bodies = async (over: Partial<LogSelection>): Promise<string[]> => (await store.querier(TENANT, T0, T0 + HOUR).selectLogs(sel(over))).map((r) => r.body);
      const f = (type: LogLineFilter['type'], value: string): LogLineFilter => ({ type, value });

      const cases: Array<[string, Partial<LogSelection>, string[]]> = [
        ['forward is oldest first', {}, records.map((r) => r.body)],
        ['backward is newest first', { direction: 'backward' }, records.map((r) => r.body).reverse()],
        ['limit keeps the first records in direction order', { direction: 'backward', limit: 2 }, ['POST /login 302', 'GET /c 200']],
        ['stream matchers', { matchers: [m('=', 'app', 'web'), m('=', 'env', 'prod')] }, ['GET /a 200', 'GET /b 500', 'POST /login 302']],
        ['stream regex matchers are anchored', { matchers: [m('=~', 'app', 'we')] }, []],
        ['|= contains', { lineFilters: [f('|=', 'GET')] }, ['GET /a 200', 'GET /b 500', 'GET /c 200']],
        ['!= does not contain', { lineFilters: [f('!=', 'GET')] }, ['error: connection timeout', 'POST /login 302']],
        ['|~ regex is not anchored', { lineFilters: [f('|~', '[45]0[0-9]')] }, ['GET /b 500']],
        ['!~ regex does not match', { lineFilters: [f('!~', ' 200$')] }, ['error: connection timeout', 'GET /b 500', 'POST /login 302']],
        ['filters chain', { lineFilters: [f('|=', 'GET'), f('!=', '/c')], matchers: [m('=', 'app', 'web')] }, ['GET /a 200', 'GET /b 500']],
        ['line filter values are literal, not SQL patterns', { lineFilters: [f('|=', 'GET%')] }, []],
        ['startNs/endNs are inclusive', { startNs: BigInt(T0 + 2000) * NS, endNs: BigInt(T0 + 4000) * NS }, ['error: connection timeout', 'GET /b 500', 'GET /c 200']],
      ];
      it.each(cases)('%s', async (_title, over, expected) => {
        expect(await bodies(over)).toEqual(expected);
      });

      it('returns records whole, with their stream and stream id', async () => {
        const [r] = await store.querier(TENANT, T0, T0 + HOUR).selectLogs(sel({ lineFilters: [f('|=', '/b')] }));
        expect(r).toEqual({ ...records[2], streamId: seriesId(web) });
      });

      it('the querier range bounds logs unless startNs/endNs are given', async () => {
        expect((await store.querier(TENANT, T0 + 2000, T0 + 3000).selectLogs(sel({}))).map((r) => r.body)).toEqual(['error: connection timeout', 'GET /b 500']);
      });

      it('rejects an invalid line regex as bad_data', async () => {
        await expect(bodies({ lineFilters: [f('|~', '(')] })).rejects.toMatchObject({ code: 'bad_data' });
      });

      it('stream label names and values of logs in range', async () => {
        const q = store.querier(TENANT, T0, T0 + HOUR);
        expect(await q.logLabelNames()).toEqual(['app', 'env']);
        expect(await q.logLabelValues('env')).toEqual(['dev', 'prod']);
        expect(await store.querier(TENANT, T0 + 2000, T0 + 2000).logLabelValues('app')).toEqual(['db']);
        expect(await store.querier(TENANT, T0 + 2 * HOUR, T0 + 3 * HOUR).logLabelNames()).toEqual([]);
      });
    });

    describe('events', () => {
      beforeEach(() =>
        commit(store, (a) =>
          a.appendEvents(TENANT, [
            event('BackOff', T0 + 1000, T0 + 5000, { count: 4, labels: { cluster: 'c1' } }),
            event('Scheduled', T0 + 2000, T0 + 2000, { type: 'Normal', source: 'scheduler' }),
            event('OOMKilled', T0 - 2 * HOUR, T0 - HOUR),
          ]),
        ),
      );
      const reasons = async (matchers: LabelMatcher[], limit = 10): Promise<string[]> =>
        (await store.querier(TENANT, T0, T0 + HOUR).selectEvents({ matchers, limit })).map((e) => e.reason);

      const cases: Array<[string, LabelMatcher[], number, string[]]> = [
        ['events overlapping the range, most recently seen first', [], 10, ['BackOff', 'Scheduled']],
        ['limit', [], 1, ['BackOff']],
        ['matchers on event labels', [m('=', 'cluster', 'c1')], 10, ['BackOff']],
        ['matchers on event fields', [m('=', 'type', 'Normal')], 10, ['Scheduled']],
        ['matchers on the involved object', [m('=~', 'name', 'pod-B.*')], 10, ['BackOff']],
      ];
      it.each(cases)('%s', async (_title, matchers, limit, expected) => {
        expect(await reasons(matchers, limit)).toEqual(expected);
      });

      it('returns events whole', async () => {
        const [e] = await store.querier(TENANT, T0, T0 + HOUR).selectEvents({ matchers: [m('=', 'reason', 'BackOff')], limit: 1 });
        expect(e).toEqual(event('BackOff', T0 + 1000, T0 + 5000, { count: 4, labels: { cluster: 'c1' } }));
      });
    });

    describe('transactions and offsets', () => {
      const up = series({ __name__: 'up', job: 'tx' }, [[T0, 1]]);

      it('nothing is visible before commit', async () => {
        const a = store.appender();
        a.appendSeries(TENANT, up);
        a.setOffset('writers', 'vigil.metrics/0', 10n);
        expect(await store.querier(TENANT, T0, T0).selectSeries([])).toEqual([]);
        expect(await store.committedOffsets('writers')).toEqual(new Map());
        await a.commit();
        expect(names(await store.querier(TENANT, T0, T0).selectSeries([]))).toEqual(['up{job="tx"}']);
        expect(await store.committedOffsets('writers')).toEqual(new Map([['vigil.metrics/0', 10n]]));
      });

      it('rollback leaves nothing behind: no data, no series, no offsets', async () => {
        const a = store.appender();
        a.appendSeries(TENANT, up);
        a.appendLogs(TENANT, [log(0, { app: 'x' }, 'hello')]);
        a.appendEvents(TENANT, [event('X', T0, T0)]);
        a.appendMetadata(TENANT, { metricFamilyName: 'up', type: 'gauge', unit: '', help: '' });
        a.setOffset('writers', 'vigil.metrics/0', 10n);
        await a.rollback();
        const q = store.querier(TENANT, T0, T0 + HOUR);
        expect(await q.selectSeries([])).toEqual([]);
        expect(await q.selectLogs({ matchers: [], direction: 'forward', limit: 10 })).toEqual([]);
        expect(await q.selectEvents({ limit: 10 })).toEqual([]);
        expect(await q.metadata()).toEqual([]);
        expect(await store.committedOffsets('writers')).toEqual(new Map());
      });

      it('offsets are committed with the data, per group and partition; the latest wins', async () => {
        await commit(store, (a) => {
          a.appendSeries(TENANT, up);
          a.setOffset('writers', 'vigil.metrics/0', 5n);
          a.setOffset('writers', 'vigil.metrics/1', 7n);
          a.setOffset('other', 'vigil.metrics/0', 1n);
        });
        await commit(store, (a) => a.setOffset('writers', 'vigil.metrics/0', 9n));
        expect(await store.committedOffsets('writers')).toEqual(new Map([['vigil.metrics/0', 9n], ['vigil.metrics/1', 7n]]));
        // The latest commit wins even when it moves an offset back (a consumer that seeks).
        await commit(store, (a) => a.setOffset('writers', 'vigil.metrics/1', 2n));
        expect(await store.committedOffsets('writers')).toEqual(new Map([['vigil.metrics/0', 9n], ['vigil.metrics/1', 2n]]));
        expect(await store.committedOffsets('other')).toEqual(new Map([['vigil.metrics/0', 1n]]));
        expect(await store.committedOffsets('nobody')).toEqual(new Map());
      });

      it('an appender cannot be used after commit or rollback', async () => {
        const a = store.appender();
        await a.commit();
        expect(() => a.appendSeries(TENANT, up)).toThrow(VigilError);
        await expect(a.commit()).rejects.toThrow(VigilError);
      });

      // Untyped input, as a decoder bug could hand over.
      const loose = <T>(value: unknown): T => value as T;
      const badInput: Array<[string, (a: ReturnType<Store['appender']>) => void, RegExp]> = [
        ['a series without a metric name', (a) => a.appendSeries(TENANT, series({ job: 'no-name' }, [[T0, 1]])), /metric name/],
        ['a fractional timestamp', (a) => a.appendSeries(TENANT, series({ __name__: 'up' }, [[T0 + 0.5, 1]])), /timestamp/],
        ['a non-numeric value', (a) => a.appendSeries(TENANT, { labels: { __name__: 'up' }, samples: [{ t: T0, v: loose<number>('1') }] }), /value/],
        ['a label value that is not a string', (a) => a.appendSeries(TENANT, series({ __name__: 'up', n: loose<string>(5) }, [[T0, 1]])), /label n/],
        ['a log time that is not a bigint', (a) => a.appendLogs(TENANT, [{ ...log(0, {}, 'x'), timeNs: loose<bigint>(5) }]), /timeNs/],
        ['a log severity outside 0..24', (a) => a.appendLogs(TENANT, [{ ...log(0, {}, 'x'), severityNumber: 30 }]), /severityNumber/],
        ['log attributes that are not JSON', (a) => a.appendLogs(TENANT, [{ ...log(0, {}, 'x'), attributes: loose({ big: 1n }) }]), /attributes/],
        ['an event with a negative count', (a) => a.appendEvents(TENANT, [event('X', T0, T0, { count: -1 })]), /count/],
        ['a negative offset', (a) => a.setOffset('writers', 'vigil.metrics/0', -1n), /offset/],
        ['an empty tenant', (a) => a.appendSeries('', up), /tenant/],
      ];
      it.each(badInput)('refuses %s at the append call with bad_data, keeping nothing of it', async (_title, append, message) => {
        const a = store.appender();
        let thrown: unknown;
        try {
          append(a);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(VigilError);
        expect(thrown).toMatchObject({ code: 'bad_data', message });
        a.appendSeries(TENANT, up);
        await a.commit();
        const q = store.querier(TENANT, T0 - HOUR, T0 + HOUR);
        expect(names(await q.selectSeries([]))).toEqual(['up{job="tx"}']);
        expect(await q.selectLogs({ matchers: [], direction: 'forward', limit: 10 })).toEqual([]);
        expect(await q.selectEvents({ limit: 10 })).toEqual([]);
        expect(await store.committedOffsets('writers')).toEqual(new Map());
      });

      it('reopening keeps data, series identity and offsets', async () => {
        await commit(store, (a) => {
          a.appendSeries(TENANT, up);
          a.appendLogs(TENANT, [log(0, { app: 'x' }, 'kept')]);
          a.setOffset('writers', 'vigil.logs/0', 3n);
        });
        await store.close();
        expect(store.isOpen()).toBe(false);
        await store.close(); // idempotent
        store = makeStore(location, { partitionMs: HOUR });
        await store.open();
        expect(store.isOpen()).toBe(true);
        expect(await store.committedOffsets('writers')).toEqual(new Map([['vigil.logs/0', 3n]]));
        await commit(store, (a) => a.appendSeries(TENANT, series(up.labels, [[T0 + 1, 2]])));
        const got: SeriesSamples[] = await store.querier(TENANT, T0, T0 + HOUR).selectSamples([]);
        expect(got.map((s) => points(s).map((x) => x.v))).toEqual([[1, 2]]);
        expect((await store.querier(TENANT, T0, T0 + HOUR).selectLogs({ matchers: [], direction: 'forward', limit: 10 })).map((r) => r.body)).toEqual(['kept']);
      });
    });

    describe('retention', () => {
      beforeEach(() =>
        commit(store, (a) => {
          a.appendSeries(TENANT, series({ __name__: 'old' }, [[T0 + 10 * 60_000, 1]]));
          a.appendSeries(TENANT, series({ __name__: 'both' }, [[T0 + 20 * 60_000, 1], [T0 + 2 * HOUR + 1, 2]]));
          a.appendLogs(TENANT, [log(30 * 60_000, { app: 'old' }, 'old line'), log(2 * HOUR + 5, { app: 'new' }, 'new line')]);
          a.appendEvents(TENANT, [event('Old', T0, T0 + 1000), event('New', T0, T0 + 2 * HOUR)]);
        }),
      );
      const all = (): ReturnType<Store['querier']> => store.querier(TENANT, T0, T0 + 3 * HOUR);

      it('drops only partitions entirely before the bound', async () => {
        expect(await store.applyRetention(T0 + 30 * 60_000)).toBe(0);
        expect(await all().labelValues('__name__')).toEqual(['both', 'old']);
        // [T0, T0+1h) of samples and of logs.
        expect(await store.applyRetention(T0 + HOUR)).toBe(2);
        expect(await all().labelValues('__name__')).toEqual(['both']);
        const [both] = await all().selectSamples([]);
        expect(points(both)).toEqual([{ t: T0 + 2 * HOUR + 1, v: 2 }]);
        expect((await all().selectLogs({ matchers: [], direction: 'forward', limit: 10 })).map((r) => r.body)).toEqual(['new line']);
        expect(await all().logLabelValues('app')).toEqual(['new']);
        expect((await all().selectEvents({ limit: 10 })).map((e) => e.reason)).toEqual(['New']);
        expect(await store.applyRetention(T0 + HOUR)).toBe(0);
      });

      it('a series whose partitions are all dropped can come back', async () => {
        await store.applyRetention(T0 + HOUR);
        await commit(store, (a) => a.appendSeries(TENANT, series({ __name__: 'old' }, [[T0 + 2 * HOUR, 5]])));
        expect(names(await all().selectSeries([m('=', '__name__', 'old')]))).toEqual(['old']);
      });
    });
  });
}
