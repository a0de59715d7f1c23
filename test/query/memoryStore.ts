import type { Labels, MetricMetadata, Sample, TimeSeries } from '../../core/index.js';
import { seriesId, sortByLabelSet, sortedLabelPairs } from '../../core/index.js';
import type { QueryableStore } from '../../query/index.js';
import type { CardinalityStats, LabelMatcher, NamedCount, Querier, QuerierOptions, SeriesSamples, StoredSeries } from '../../storage/index.js';
import { abortError, matchesAll, throwIfAborted } from '../../storage/index.js';

interface StoredEntry {
  readonly labels: Labels;
  readonly samples: Sample[];
}

/**
 * A test double of the Store's read side: series held in memory per tenant, filtered with
 * storage's own matchesAll, ranges inclusive on both ends as the Store contract says. It does
 * nothing clever on purpose, so that what the query path gets is obviously right. Logs and
 * events are out of scope for the query API and return nothing.
 */
export class MemoryStore implements QueryableStore {
  private readonly series = new Map<string, Map<bigint, StoredEntry>>();
  private readonly meta = new Map<string, MetricMetadata[]>();
  /** Every querier range asked for, so tests can check what the engine reads. */
  readonly ranges: { tenant: string; minT: number; maxT: number }[] = [];

  add(tenant: string, ...series: TimeSeries[]): this {
    let byId = this.series.get(tenant);
    if (byId === undefined) this.series.set(tenant, (byId = new Map()));
    for (const s of series) {
      const id = seriesId(s.labels);
      const entry = byId.get(id) ?? { labels: s.labels, samples: [] };
      entry.samples.push(...s.samples);
      entry.samples.sort((a, b) => a.t - b.t);
      byId.set(id, entry);
    }
    return this;
  }

  addMetadata(tenant: string, ...metadata: MetricMetadata[]): this {
    this.meta.set(tenant, [...(this.meta.get(tenant) ?? []), ...metadata]);
    return this;
  }

  querier(tenant: string, minT: number, maxT: number, options: QuerierOptions = {}): Querier {
    this.ranges.push({ tenant, minT, maxT });
    // Answers at once, so cancellation only matters before a read starts; as the contract says, an aborted querier reads nothing.
    const signal = options.signal;
    const all = [...(this.series.get(tenant) ?? new Map<bigint, StoredEntry>()).entries()];
    // In label order, as the Store contract says.
    const inRange = (matchers: readonly LabelMatcher[]): SeriesSamples[] =>
      sortByLabelSet(
        all
          .filter(([, s]) => matchesAll(s.labels, matchers))
          .map(([id, s]) => columnsInRange(id, s, minT, maxT))
          .filter((s) => s.timestamps.length > 0),
      );
    const meta = this.meta.get(tenant) ?? [];
    return {
      selectSamples: (matchers) => (signal?.aborted === true ? Promise.reject(abortError(signal)) : Promise.resolve(inRange(matchers))),
      selectSeries: (matchers, hints) =>
        Promise.resolve()
          .then(() => throwIfAborted(signal))
          .then(() => inRange(matchers).slice(0, hints?.limit).map((s): StoredSeries => ({ id: s.id, labels: s.labels }))),
      labelNames: (matchers = []) =>
        Promise.resolve([...new Set(inRange(matchers).flatMap((s) => sortedLabelPairs(s.labels).map(([k]) => k)))].sort()),
      labelValues: (name, matchers = []) =>
        Promise.resolve([...new Set(inRange(matchers).map((s) => s.labels[name] ?? '').filter((v) => v !== ''))].sort()),
      metadata: (metric) => Promise.resolve(meta.filter((m) => metric === undefined || m.metricFamilyName === metric)),
      selectLogs: () => Promise.resolve([]),
      // Holds no logs: a scan finds nothing, like selectLogs above.
      scanLogs: () => Promise.resolve(),
      selectStreams: () => Promise.resolve([]),
      logStats: () => Promise.resolve({ streams: 0, chunks: 0, entries: 0, bytes: 0 }),
      selectEvents: () => Promise.resolve([]),
      logLabelNames: () => Promise.resolve([]),
      logLabelValues: () => Promise.resolve([]),
    };
  }

  /** Store.cardinality, counted the plain way: one pass over the tenant's series and their pairs. */
  cardinality(tenant: string, limit: number): Promise<CardinalityStats> {
    const series = [...(this.series.get(tenant)?.values() ?? [])];
    const pairs = new Map<string, { name: string; value: string; series: number }>();
    for (const s of series) {
      for (const [name, value] of Object.entries(s.labels)) {
        const key = `${name}=${value}`;
        const p = pairs.get(key) ?? { name, value, series: 0 };
        p.series++;
        pairs.set(key, p);
      }
    }
    const byName = (f: (p: { value: string; series: number }) => number): Map<string, number> => {
      const out = new Map<string, number>();
      for (const p of pairs.values()) out.set(p.name, (out.get(p.name) ?? 0) + f(p));
      return out;
    };
    const top = (entries: Iterable<[string, number]>): NamedCount[] =>
      [...entries]
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, limit);
    const times = series.flatMap((s) => s.samples.map((p) => p.t));
    return Promise.resolve({
      numSeries: series.length,
      numLabelPairs: pairs.size,
      minTimeMs: times.length === 0 ? undefined : Math.min(...times),
      maxTimeMs: times.length === 0 ? undefined : Math.max(...times),
      seriesCountByMetricName: top([...pairs.values()].filter((p) => p.name === '__name__').map((p) => [p.value, p.series])),
      labelValueCountByLabelName: top(byName(() => 1)),
      memoryInBytesByLabelName: top(byName((p) => Buffer.byteLength(p.value) * p.series)),
      seriesCountByLabelValuePair: top([...pairs.entries()].map(([key, p]) => [key, p.series])),
    });
  }
}

/** A series' samples in [minT, maxT] as the Store contract hands them over: two columns. */
function columnsInRange(id: bigint, s: StoredEntry, minT: number, maxT: number): SeriesSamples {
  const kept = s.samples.filter((p) => p.t >= minT && p.t <= maxT);
  return { id, labels: s.labels, timestamps: Float64Array.from(kept, (p) => p.t), values: Float64Array.from(kept, (p) => p.v) };
}

/** A read that is busy until its querier's signal aborts, then rejects as a store must: for timeout and disconnect tests. */
export function busyUntilAborted(options: QuerierOptions | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    const signal = options?.signal;
    if (signal === undefined) return; // never answers: a caller that passes no signal waits forever
    if (signal.aborted) reject(abortError(signal));
    else signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
  });
}
