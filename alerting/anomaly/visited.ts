/**
 * Which parts of a series' all-time value range it has visited: a fixed number of bins over
 * [min, max], coarsened (re-binned) whenever a new extreme widens the range, so memory stays
 * fixed however the range grows. `isGap` asks whether a value lies in a hole of the range — farther
 * than a fraction of the range from every value seen so far — as HTM's and ARTime's range-relative
 * encodings would see it, but learnt causally: no file-wide minimum and maximum up front.
 */
export class VisitedRange {
  lo = Number.POSITIVE_INFINITY;
  hi = Number.NEGATIVE_INFINITY;
  private seen: Uint8Array;

  constructor(readonly bins: number) {
    this.seen = new Uint8Array(bins);
  }

  private bin(x: number): number {
    const r = this.hi - this.lo;
    if (!(r > 0)) return 0;
    const b = Math.floor(((x - this.lo) / r) * this.bins);
    return b < 0 ? 0 : b >= this.bins ? this.bins - 1 : b;
  }

  /**
   * True when x is inside the range seen so far yet no visited bin lies within `delta` × range of
   * it. Values beyond the range are the range check's business (vigil's `spatial`), not this.
   */
  isGap(x: number, delta: number): boolean {
    const r = this.hi - this.lo;
    if (!(r > 0) || x < this.lo || x > this.hi) return false;
    const b = this.bin(x);
    if (this.seen[b] === 1) return false;
    const reach = Math.ceil(delta * this.bins);
    for (let k = 1; k <= reach; k++) {
      if ((b - k >= 0 && this.seen[b - k] === 1) || (b + k < this.bins && this.seen[b + k] === 1)) return false;
    }
    return true;
  }

  learn(x: number): void {
    if (x < this.lo || x > this.hi) this.widen(Math.min(this.lo, x), Math.max(this.hi, x));
    if (this.hi > this.lo) this.seen[this.bin(x)] = 1;
  }

  /** Re-bin onto a wider range: each visited old bin marks every new bin its interval overlaps. */
  private widen(lo: number, hi: number): void {
    const old = this.seen;
    const oldLo = this.lo;
    const oldRange = this.hi - this.lo;
    this.seen = new Uint8Array(this.bins);
    this.lo = lo;
    this.hi = hi;
    if (oldRange > 0) {
      const w = oldRange / this.bins;
      for (let i = 0; i < this.bins; i++) {
        if (old[i] !== 1) continue;
        const a = this.bin(oldLo + i * w);
        const b = this.bin(oldLo + (i + 1) * w - 1e-12 * oldRange);
        for (let j = a; j <= b; j++) this.seen[j] = 1;
      }
    } else if (Number.isFinite(oldLo)) this.seen[this.bin(oldLo)] = 1; // the single value seen so far
  }

  toState(): { lo: number; hi: number; seen: number[] } {
    return { lo: this.lo, hi: this.hi, seen: Array.from(this.seen) };
  }

  static fromState(bins: number, lo: number, hi: number, seen: readonly number[]): VisitedRange {
    const v = new VisitedRange(bins);
    v.lo = lo;
    v.hi = hi;
    for (let i = 0; i < bins; i++) v.seen[i] = seen[i] === 1 ? 1 : 0;
    return v;
  }
}
