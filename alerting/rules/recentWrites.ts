import type { Labels, TimeSeries } from '../../core/index.js';
import { seriesId, sortByLabelSet } from '../../core/index.js';
import type { Queryable } from '../../query/index.js';
import type { LabelMatcher, Querier, SeriesSamples, StoredSeries } from '../../storage/index.js';
import { matchesAll } from '../../storage/index.js';

interface Recent {
  readonly labels: Labels;
  t: number[];
  v: number[];
}

/**
 * The rules' own latest output, readable at once. Rule output reaches the store through the bus
 * and the writer, a few hundred milliseconds later; Prometheus' rules read what an earlier rule
 * of the same round recorded. Reads through wrap() see the store's samples merged with the ones
 * written here in the last `keepMs`, so a chain of rules evaluates as in Prometheus.
 */
export class RecentWrites {
  private readonly series = new Map<bigint, Recent>();
  private newest = 0;

  constructor(private readonly keepMs: number) {}

  add(series: readonly TimeSeries[]): void {
    for (const s of series) {
      const id = seriesId(s.labels);
      let r = this.series.get(id);
      if (r === undefined) this.series.set(id, (r = { labels: s.labels, t: [], v: [] }));
      for (const p of s.samples) {
        if (r.t.length > 0 && (r.t[r.t.length - 1] as number) >= p.t) continue; // rules write in time order
        r.t.push(p.t);
        r.v.push(p.v);
        this.newest = Math.max(this.newest, p.t);
      }
    }
    this.prune();
  }

  private prune(): void {
    const cutoff = this.newest - this.keepMs;
    for (const [id, r] of this.series) {
      const keep = r.t.findIndex((t) => t >= cutoff);
      if (keep < 0) this.series.delete(id);
      else if (keep > 0) {
        r.t = r.t.slice(keep);
        r.v = r.v.slice(keep);
      }
    }
  }

  /** `base` with these writes merged into every sample read. */
  wrap(base: Queryable): Queryable {
    return {
      querier: (minT, maxT, options) => {
        const q = base.querier(minT, maxT, options);
        const recentOf = (matchers: readonly LabelMatcher[]): Map<bigint, { labels: Labels; t: number[]; v: number[] }> => {
          const out = new Map<bigint, { labels: Labels; t: number[]; v: number[] }>();
          for (const [id, r] of this.series) {
            if (!matchesAll(r.labels, matchers)) continue;
            const t: number[] = [];
            const v: number[] = [];
            r.t.forEach((ts, i) => {
              if (ts >= minT && ts <= maxT) {
                t.push(ts);
                v.push(r.v[i] as number);
              }
            });
            if (t.length > 0) out.set(id, { labels: r.labels, t, v });
          }
          return out;
        };
        const merged: Querier = {
          ...q,
          selectSamples: async (matchers, hints) => {
            const stored = await q.selectSamples(matchers, hints);
            const recent = recentOf(matchers);
            if (recent.size === 0) return stored;
            const out: SeriesSamples[] = stored.map((s) => {
              const r = recent.get(s.id);
              if (r === undefined) return s;
              recent.delete(s.id);
              return mergeSamples(s, r.t, r.v);
            });
            for (const [id, r] of recent) out.push({ id, labels: r.labels, timestamps: Float64Array.from(r.t), values: Float64Array.from(r.v) });
            return sortByLabelSet(out); // the Store contract's label order, with the recent series among the stored
          },
          selectSeries: async (matchers, hints) => {
            const stored = await q.selectSeries(matchers, hints);
            const known = new Set(stored.map((s) => s.id));
            const extra: StoredSeries[] = [...recentOf(matchers)].filter(([id]) => !known.has(id)).map(([id, r]) => ({ id, labels: r.labels }));
            return sortByLabelSet([...stored, ...extra]);
          },
        };
        return merged;
      },
    };
  }
}

/** A stored series with recent samples added: time order, a timestamp present in both kept once (the recent value). */
function mergeSamples(s: SeriesSamples, t: readonly number[], v: readonly number[]): SeriesSamples {
  const times = new Map<number, number>();
  s.timestamps.forEach((ts, i) => times.set(ts, s.values[i] as number));
  t.forEach((ts, i) => times.set(ts, v[i] as number));
  const sorted = [...times.keys()].sort((a, b) => a - b);
  return { id: s.id, labels: s.labels, timestamps: Float64Array.from(sorted), values: Float64Array.from(sorted.map((ts) => times.get(ts) as number)) };
}
