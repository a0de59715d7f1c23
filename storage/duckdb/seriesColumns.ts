/** Rows per staging block: blocks are filled one after another, never grown or copied. */
const BLOCK_ROWS = 4096;
/** Most staging buckets: few enough write streams for the caches, each bucket's series a small range. */
const MAX_BUCKETS = 256;

/** One bucket's staged rows: full blocks, then the one being filled. */
class StagedRows {
  readonly idx: Int32Array[] = [];
  readonly t: Float64Array[] = [];
  readonly v: Float64Array[] = [];
  /** Rows in the last block. */
  fill = BLOCK_ROWS;

  push(s: number, t: number, v: number): void {
    if (this.fill === BLOCK_ROWS) {
      this.idx.push(new Int32Array(BLOCK_ROWS));
      this.t.push(new Float64Array(BLOCK_ROWS));
      this.v.push(new Float64Array(BLOCK_ROWS));
      this.fill = 0;
    }
    const last = this.idx.length - 1;
    (this.idx[last] as Int32Array)[this.fill] = s;
    (this.t[last] as Float64Array)[this.fill] = t;
    (this.v[last] as Float64Array)[this.fill++] = v;
  }

  /** Rows in block `b`. */
  rows(b: number): number {
    return b === this.idx.length - 1 ? this.fill : BLOCK_ROWS;
  }
}

/**
 * Gathers samples that arrive in any order across series (a partition still being written holds
 * rows in arrival order, scrape after scrape, and the read has no ORDER BY: sorting every row in
 * the database would cost more than this, and would hold the first row back until the whole
 * result is sorted) into one pair of typed arrays per series: no object per sample.
 *
 * Two passes, as a radix partition does: while chunks stream in, each row is staged in the
 * bucket of its series (at most 256 buckets, each a contiguous range of series); at the end each
 * bucket is counted and scattered into its own stretch of two arrays shared by all the series,
 * each series a subarray of them. Scattering rows in arrival order straight into the final
 * arrays wrote every row to a far-away place (a cache miss each: 28 % of a 14.4M-sample query's
 * time); a bucket's stretch is small enough to stay in cache. Peak memory is the staged rows
 * (20 bytes a sample) plus the result (16). A series whose rows came out of time order is
 * sorted then, and only that one.
 */
export class SeriesColumns {
  /** A row of series s goes to bucket s >>> shift. */
  private readonly shift: number;
  private readonly buckets: StagedRows[];
  private offsets: Int32Array | undefined;
  private times = new Float64Array(0);
  private values = new Float64Array(0);

  constructor(private readonly seriesCount: number) {
    let shift = 0;
    while (Math.max(0, seriesCount - 1) >>> shift >= MAX_BUCKETS) shift++;
    this.shift = shift;
    this.buckets = Array.from({ length: (Math.max(0, seriesCount - 1) >>> shift) + 1 }, () => new StagedRows());
  }

  /** Stages `rows` rows: series index, time and value of each (the arrays may be reused after). */
  appendChunk(idx: Int32Array, t: Float64Array, v: Float64Array, rows: number): void {
    const { shift, buckets } = this;
    for (let i = 0; i < rows; i++) {
      const s = idx[i] as number;
      (buckets[s >>> shift] as StagedRows).push(s, t[i] as number, v[i] as number);
    }
  }

  /** Series `series`'s samples, sorted by time. */
  take(series: number): { timestamps: Float64Array; values: Float64Array } {
    const offsets = (this.offsets ??= this.scatter());
    const from = offsets[series] as number;
    const to = offsets[series + 1] as number;
    return { timestamps: this.times.subarray(from, to), values: this.values.subarray(from, to) };
  }

  private scatter(): Int32Array {
    const offsets = new Int32Array(this.seriesCount + 1);
    for (const b of this.buckets) {
      for (let k = 0; k < b.idx.length; k++) {
        const idx = b.idx[k] as Int32Array;
        for (let i = 0, n = b.rows(k); i < n; i++) offsets[(idx[i] as number) + 1]++;
      }
    }
    for (let s = 0; s < this.seriesCount; s++) offsets[s + 1] = (offsets[s + 1] as number) + (offsets[s] as number);
    const total = offsets[this.seriesCount] as number;
    const next = offsets.slice(0, this.seriesCount);
    const unsorted = new Uint8Array(this.seriesCount);
    const times = new Float64Array(total);
    const values = new Float64Array(total);
    for (const b of this.buckets.splice(0)) {
      for (let k = 0; k < b.idx.length; k++) {
        const idx = b.idx[k] as Int32Array;
        const ts = b.t[k] as Float64Array;
        const vs = b.v[k] as Float64Array;
        for (let i = 0, n = b.rows(k); i < n; i++) {
          const s = idx[i] as number;
          const at = next[s] as number;
          const t = ts[i] as number;
          if (at > (offsets[s] as number) && t < (times[at - 1] as number)) unsorted[s] = 1;
          times[at] = t;
          values[at] = vs[i] as number;
          next[s] = at + 1;
        }
      }
    }
    for (let s = 0; s < this.seriesCount; s++) {
      if (unsorted[s] === 1) sortByTime(times.subarray(offsets[s], offsets[s + 1]), values.subarray(offsets[s], offsets[s + 1]));
    }
    this.times = times;
    this.values = values;
    return offsets;
  }
}

/**
 * Reorders both columns by time, in place; samples with equal times keep their order.
 *
 * A parallel scan hands a series' rows over in many short runs (a partition in time order, read
 * by two threads row group by row group, gave ~470 runs per 1,200-sample series), so this is a
 * real sort, not a merge of a few runs. Integer times whose span leaves room packs each sample
 * into one number, (time − min) · 2^bits + position, exact below 2^53, and sorts those with the
 * typed array's native sort: no JS comparator, stable through the position. Otherwise (fractional
 * times, or a span too wide for the series' length) a natural merge sort of the runs.
 */
function sortByTime(times: Float64Array, values: Float64Array): void {
  const n = times.length;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isInteger(t)) integers = false;
  }
  const scale = 2 ** (32 - Math.clz32(Math.max(1, n - 1)));
  if (!integers || (max - min) * scale + scale > Number.MAX_SAFE_INTEGER) {
    mergeRuns(times, values);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ((times[i] as number) - min) * scale + i;
  keys.sort();
  const original = values.slice();
  for (let k = 0; k < n; k++) {
    const key = keys[k] as number;
    const i = key % scale;
    times[k] = (key - i) / scale + min;
    values[k] = original[i] as number;
  }
}

/**
 * The fallback: a natural merge sort. DuckDB's threads each deliver a series' rows in order, so
 * merging runs costs n·log2(runs) moves (a comparison sort of the indexes with a JS comparator
 * took 3.6 s of a 5.76M-sample read).
 */
function mergeRuns(times: Float64Array, values: Float64Array): void {
  const n = times.length;
  let bounds: number[] = [0];
  for (let i = 1; i < n; i++) if ((times[i] as number) < (times[i - 1] as number)) bounds.push(i);
  bounds.push(n);
  let srcT: Float64Array = times;
  let srcV: Float64Array = values;
  let dstT: Float64Array = new Float64Array(n);
  let dstV: Float64Array = new Float64Array(n);
  while (bounds.length > 2) {
    const merged: number[] = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r] as number;
      const mid = bounds[r + 1] as number;
      const hi = r + 2 < bounds.length ? (bounds[r + 2] as number) : mid;
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        // Ties take the left run first: stable.
        if (j >= hi || (i < mid && (srcT[i] as number) <= (srcT[j] as number))) {
          dstT[k] = srcT[i] as number;
          dstV[k] = srcV[i++] as number;
        } else {
          dstT[k] = srcT[j] as number;
          dstV[k] = srcV[j++] as number;
        }
      }
      merged.push(hi);
    }
    bounds = merged;
    [srcT, dstT] = [dstT, srcT];
    [srcV, dstV] = [dstV, srcV];
  }
  if (srcT !== times) {
    times.set(srcT);
    values.set(srcV);
  }
}
