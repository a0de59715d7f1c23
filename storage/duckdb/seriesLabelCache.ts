import type { Labels } from '../../core/index.js';
import { labelPairs, sortedLabelPairs } from '../../core/index.js';

/** A series' labels as the store hands them out: frozen, names in sorted order. */
export interface CachedLabels {
  readonly labels: Labels;
  readonly pairs: readonly (readonly [string, string])[];
}

/** Default bound: at a few hundred bytes a label set, about 100 MB when full. */
export const DEFAULT_LABEL_CACHE_SERIES = 250_000;

/**
 * Label sets by series id, so that a query selecting 50k series reads 50k ids from DuckDB instead
 * of 50k maps (decoding a MAP column item by item was most of such a query's time). A series id
 * is the hash of its label set and never changes meaning within a tenant, so entries need no
 * invalidation. Entries are kept per tenant all the same: ids are a 64-bit non-cryptographic hash,
 * and a tenant that crafted a colliding label set must never make another tenant's series show
 * its labels (the series table is keyed by tenant too).
 *
 * Bounded by series count across tenants: past the bound the oldest tenth of the tenant being
 * added to is dropped (insertion order), which is cheap and keeps the working set of recent queries.
 */
export class SeriesLabelCache {
  private readonly tenants = new Map<number, Map<bigint, CachedLabels>>();
  private readonly values = new Map<string, string>();
  private count = 0;

  constructor(private readonly maxSeries = DEFAULT_LABEL_CACHE_SERIES) {}

  get size(): number {
    return this.count;
  }

  get(tenantId: number, id: bigint): CachedLabels | undefined {
    return this.tenants.get(tenantId)?.get(id);
  }

  /** Remembers `labels` (any key order) for the tenant's series `id` and returns the canonical frozen form. */
  add(tenantId: number, id: bigint, labels: Labels): CachedLabels {
    const pairs = sortedLabelPairs(labels);
    for (const pair of pairs) pair[1] = this.intern(pair[1]);
    // fromEntries defines own properties, so even a label named __proto__ stays a label.
    const frozen = Object.freeze(Object.fromEntries(pairs));
    const entry: CachedLabels = { labels: frozen, pairs: labelPairs(frozen) };
    if (this.maxSeries <= 0) return entry;
    let entries = this.tenants.get(tenantId);
    if (entries === undefined) this.tenants.set(tenantId, (entries = new Map()));
    if (this.count >= this.maxSeries) this.evictOldest(entries, Math.max(1, Math.ceil(this.maxSeries / 10)));
    if (!entries.has(id)) this.count++;
    entries.set(id, entry);
    return entry;
  }

  /**
   * One string object per distinct label value: metric names, jobs and instances repeat across
   * thousands of series, and each parsed label set would otherwise hold its own copies. (Names
   * need no help: object keys are interned by the engine.) Bounded like the cache: forgotten
   * wholesale when full, which only costs sharing.
   */
  private intern(value: string): string {
    const known = this.values.get(value);
    if (known !== undefined) return known;
    if (this.values.size >= this.maxSeries) this.values.clear();
    this.values.set(value, value);
    return value;
  }

  /** Drops the oldest `n` of `entries`, or of the largest tenant when `entries` has too few to matter. */
  private evictOldest(entries: Map<bigint, CachedLabels>, n: number): void {
    let from = entries;
    if (from.size < n) for (const other of this.tenants.values()) if (other.size > from.size) from = other;
    for (const id of from.keys()) {
      if (n-- <= 0) break;
      from.delete(id);
      this.count--;
    }
  }
}
