import type { Labels, TimeSeries } from '../../../core/index.js';
import { lowerBound, seriesId, sortByLabelSet } from '../../../core/index.js';
import type { Queryable } from '../../../query/index.js';
import type { LabelMatcher, Querier, SeriesSamples } from '../../../storage/index.js';
import { matchesAll } from '../../../storage/index.js';

interface Entry {
  readonly id: bigint;
  readonly labels: Labels;
  readonly t: number[];
  readonly v: number[];
}

/**
 * The storage of a rule unit test (promtool's test suite storage): series in memory, appended
 * in time order by the loader and the rules, read through the Queryable the engine takes.
 */
export class MemoryStorage implements Queryable {
  private readonly series = new Map<bigint, Entry>();
  /** Postings: the series holding each name="value" pair, so that equality matchers do not scan everything. */
  private readonly postings = new Map<string, Entry[]>();

  append(series: readonly TimeSeries[]): void {
    for (const s of series) {
      const id = seriesId(s.labels);
      let e = this.series.get(id);
      if (e === undefined) {
        this.series.set(id, (e = { id, labels: s.labels, t: [], v: [] }));
        for (const [n, v] of Object.entries(s.labels)) {
          const key = `${n}\u0000${v}`;
          const list = this.postings.get(key);
          if (list === undefined) this.postings.set(key, [e]);
          else list.push(e);
        }
      }
      for (const p of s.samples) {
        const last = e.t.length - 1;
        if (last >= 0 && (e.t[last] as number) >= p.t) {
          // Out of order or a duplicate timestamp: keep time order, the later write wins.
          const at = e.t.findIndex((t) => t >= p.t);
          if (e.t[at] === p.t) e.v[at] = p.v;
          else {
            e.t.splice(at, 0, p.t);
            e.v.splice(at, 0, p.v);
          }
          continue;
        }
        e.t.push(p.t);
        e.v.push(p.v);
      }
    }
  }

  private candidates(matchers: readonly LabelMatcher[]): Iterable<Entry> {
    return shortestPosting(this.postings, matchers) ?? this.series.values();
  }

  querier(minT: number, maxT: number): Querier {
    const select = (matchers: readonly LabelMatcher[]): SeriesSamples[] => {
      const out: SeriesSamples[] = [];
      for (const e of this.candidates(matchers)) {
        if (!matchesAll(e.labels, matchers)) continue;
        const from = lowerBound(e.t, minT);
        const to = lowerBound(e.t, maxT + 1);
        if (to <= from) continue;
        out.push({ id: e.id, labels: e.labels, timestamps: Float64Array.from(e.t.slice(from, to)), values: Float64Array.from(e.v.slice(from, to)) });
      }
      return sortByLabelSet(out); // in label order, as the Store contract says
    };
    return {
      selectSamples: (m) => Promise.resolve(select(m)),
      selectSeries: (m) => Promise.resolve(select(m).map((s) => ({ id: s.id, labels: s.labels }))),
      selectLogs: () => Promise.resolve([]),
      selectEvents: () => Promise.resolve([]),
      labelNames: (m = []) => Promise.resolve([...new Set(select(m).flatMap((s) => Object.keys(s.labels)))].sort()),
      labelValues: (name, m = []) => Promise.resolve([...new Set(select(m).map((s) => s.labels[name]).filter((v): v is string => v !== undefined))].sort()),
      logLabelNames: () => Promise.resolve([]),
      logLabelValues: () => Promise.resolve([]),
      scanLogs: () => Promise.resolve(),
      selectStreams: () => Promise.resolve([]),
      logStats: () => Promise.resolve({ streams: 0, chunks: 0, entries: 0, bytes: 0 }),
      metadata: () => Promise.resolve([]),
    };
  }
}

/** The shortest posting list of the equality matchers (non-empty values), else every series. */
function shortestPosting(postings: ReadonlyMap<string, Entry[]>, matchers: readonly LabelMatcher[]): Iterable<Entry> | undefined {
  let best: Entry[] | undefined;
  for (const m of matchers) {
    if (m.type !== '=' || m.value === '') continue;
    const list = postings.get(`${m.name}\u0000${m.value}`) ?? [];
    if (best === undefined || list.length < best.length) best = list;
  }
  return best;
}
