/**
 * Gathers samples that arrive in any order across series (a partition still being written holds
 * rows in arrival order, scrape after scrape, and the read has no ORDER BY: sorting every row in
 * the database would cost more than this, and would hold the first row back until the whole
 * result is sorted) into one pair of typed arrays per series: no object per sample.
 *
 * Chunks are copied as they come (three memcpys each); at the end one counting pass sizes every
 * series, and one scatter pass writes each sample to its place in two arrays shared by all the
 * series, each series a subarray of them. Appending to per-series arrays instead touched two
 * far-apart arrays per row and was several times slower. Peak memory is the staged chunks
 * (20 bytes a sample) plus the result (16). A series whose rows came out of time order is
 * sorted then, and only that one.
 */
export class SeriesColumns {
  private readonly staged: Array<{ readonly idx: Int32Array; readonly t: Float64Array; readonly v: Float64Array }> = [];
  private total = 0;
  private offsets: Int32Array | undefined;
  private times = new Float64Array(0);
  private values = new Float64Array(0);

  constructor(private readonly seriesCount: number) {}

  /** Copies `rows` rows: series index, time and value of each (the arrays may be reused after). */
  appendChunk(idx: Int32Array, t: Float64Array, v: Float64Array, rows: number): void {
    this.staged.push({ idx: idx.slice(0, rows), t: t.slice(0, rows), v: v.slice(0, rows) });
    this.total += rows;
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
    for (const c of this.staged) for (let i = 0; i < c.idx.length; i++) offsets[(c.idx[i] as number) + 1]++;
    for (let s = 0; s < this.seriesCount; s++) offsets[s + 1] = (offsets[s + 1] as number) + (offsets[s] as number);
    const next = offsets.slice(0, this.seriesCount);
    const unsorted = new Uint8Array(this.seriesCount);
    const times = new Float64Array(this.total);
    const values = new Float64Array(this.total);
    for (const c of this.staged.splice(0)) {
      for (let i = 0; i < c.idx.length; i++) {
        const s = c.idx[i] as number;
        const at = next[s] as number;
        const t = c.t[i] as number;
        if (at > (offsets[s] as number) && t < (times[at - 1] as number)) unsorted[s] = 1;
        times[at] = t;
        values[at] = c.v[i] as number;
        next[s] = at + 1;
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
 * Reorders both columns by time, in place; samples with equal times keep their order. A natural
 * merge sort: DuckDB's threads each deliver a series' rows in order, so a series arrives as a
 * few long sorted runs, and merging runs costs n·log2(runs) moves (a comparison sort of the
 * indexes with a JS comparator took 3.6 s of a 5.76M-sample read).
 */
function sortByTime(times: Float64Array, values: Float64Array): void {
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
