import type { RangeWindows } from './evalTypes.js';
import type { MatrixSeries, Point } from './types.js';

/**
 * For each step, the series with at least one point in that step's window, their points
 * copied out as Point objects: the range-vector argument of a function (whose contract is
 * MatrixSeries). The pass's columns are never copied whole: cursors per series (indexes into
 * the columns) move forward with the windows, so a pass costs one walk over the timestamps plus
 * the windows' points.
 */
export class WindowSlicer {
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private lastStart = -Infinity;

  constructor(private readonly windows: RangeWindows) {
    this.lo = new Int32Array(windows.series.length);
    this.hi = new Int32Array(windows.series.length);
  }

  at(step: number): { series: MatrixSeries[]; startMs: number; endMs: number } {
    const { startMs, endMs } = this.windows.bounds(step);
    // Windows only move forward within a pass; should one move back, start the cursors over.
    if (startMs < this.lastStart) {
      this.lo.fill(0);
      this.hi.fill(0);
    }
    this.lastStart = startMs;
    const out: MatrixSeries[] = [];
    const all = this.windows.series;
    for (let k = 0; k < all.length; k++) {
      const { labels, timestamps, values } = all[k] as RangeWindows['series'][number];
      let lo = this.lo[k] as number;
      while (lo < timestamps.length && (timestamps[lo] as number) < startMs) lo++;
      let hi = Math.max(this.hi[k] as number, lo);
      while (hi < timestamps.length && (timestamps[hi] as number) <= endMs) hi++;
      this.lo[k] = lo;
      this.hi[k] = hi;
      if (hi > lo) out.push({ labels, points: pointsOf(timestamps, values, lo, hi) });
    }
    return { series: out, startMs, endMs };
  }
}

function pointsOf(timestamps: Float64Array, values: Float64Array, lo: number, hi: number): Point[] {
  const points: Point[] = new Array<Point>(hi - lo);
  for (let i = lo; i < hi; i++) points[i - lo] = { t: timestamps[i] as number, v: values[i] as number };
  return points;
}
