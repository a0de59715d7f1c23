/** Small numeric building blocks shared by the detectors. */

/**
 * A fixed-size window kept both in arrival order (ring) and sorted, so median and quantiles are
 * O(1) and insertion is O(w) with a memmove — fast for the w ≤ a few hundred we use.
 */
export class SortedWindow {
  readonly ring: Float64Array;
  readonly sorted: Float64Array;
  pos = 0;
  count = 0;

  constructor(readonly size: number) {
    this.ring = new Float64Array(size);
    this.sorted = new Float64Array(size);
  }

  push(x: number): void {
    const s = this.sorted;
    let n = this.count;
    if (n === this.size) {
      const old = this.ring[this.pos] as number;
      const at = lowerBound(s, n, old);
      s.copyWithin(at, at + 1, n);
      n--;
    } else this.count++;
    const at = lowerBound(s, n, x);
    s.copyWithin(at + 1, at, n);
    s[at] = x;
    this.ring[this.pos] = x;
    this.pos = (this.pos + 1) % this.size;
  }

  /** Linear-interpolated quantile, q in [0, 1]. NaN when empty. */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return Number.NaN;
    const h = q * (n - 1);
    const i = Math.floor(h);
    const a = this.sorted[i] as number;
    return i + 1 < n ? a + (h - i) * ((this.sorted[i + 1] as number) - a) : a;
  }

  /** The last k values in arrival order (k ≤ count). */
  recent(k: number, into: Float64Array): void {
    for (let i = 0; i < k; i++) into[i] = this.ring[(this.pos - k + i + this.size * 2) % this.size] as number;
  }

  toState(): { ring: number[]; pos: number; count: number } {
    return { ring: Array.from(this.ring), pos: this.pos, count: this.count };
  }

  static fromState(size: number, ring: number[], pos: number, count: number): SortedWindow {
    const w = new SortedWindow(size);
    w.ring.set(ring);
    w.pos = pos;
    w.count = count;
    const vals = count === size ? Array.from(w.ring) : Array.from(w.ring.subarray(0, count));
    w.sorted.set(vals.sort((a, b) => a - b));
    return w;
  }
}

function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Robust spread from a sorted window: IQR/1.349 (σ for a normal). Quantised or mostly-idle series
 * (CPU at 0 %, counts at night) often have an IQR of exactly 0 although they do vary; then the
 * mean absolute deviation from the median (×1.2533, σ for a normal) is used, and only a truly
 * constant window falls back to a tiny floor, so that any change from a flat line stands out.
 */
export function robustScale(w: SortedWindow, level: number): number {
  const iqr = w.quantile(0.75) - w.quantile(0.25);
  const floor = Math.max(1e-9 * Math.abs(level), 1e-12);
  if (iqr > 0) return Math.max(iqr / 1.349, floor);
  const med = w.quantile(0.5);
  let sum = 0;
  for (let i = 0; i < w.count; i++) sum += Math.abs((w.sorted[i] as number) - med);
  return Math.max((1.2533 * sum) / Math.max(1, w.count), floor);
}
