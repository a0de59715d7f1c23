import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { Ring } from '../ring.js';
import { num, nums, obj } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Nearest neighbours over windows: the last `dims` block means (blocks of `block` points) form a
 * shape vector, scaled by the range seen so far; the statistic is its distance to the nearest of
 * the last `memory` remembered vectors that do not overlap it. A shape never seen before is far
 * from everything; a repeat of a known pattern (a daily peak, a routine spike) is close to something.
 */
export const knnDefaults = { dims: 8, block: 2, memory: 512, ...calibrationDefaults };
export type KnnConfig = typeof knnDefaults;

export class KnnDetector implements DetectorCore {
  readonly kind = 'knn';
  private readonly cfg: KnnConfig;
  private readonly cal: RecordCalibrator;
  private hist: Ring;
  /** Remembered vectors, flattened ring of memory × dims. */
  private mem: Float64Array;
  private memPos = 0;
  private memCount = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private readonly vec: Float64Array;

  constructor(config: Partial<KnnConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...knnDefaults, ...config };
    const c = this.cfg;
    this.hist = new Ring(c.dims * c.block);
    this.mem = new Float64Array(c.memory * c.dims);
    this.vec = new Float64Array(c.dims);
    if (state !== undefined) {
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(c.dims * c.block, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
      this.mem.set(nums(state, 'mem'));
      this.memPos = num(state, 'memPos');
      this.memCount = num(state, 'memCount');
      this.lo = num(state, 'lo');
      this.hi = num(state, 'hi');
    }
    this.cal = new RecordCalibrator(c, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    const c = this.cfg;
    this.hist.push(x);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    let raw = 0;
    if (this.hist.count === this.hist.size) {
      this.shape();
      // Vectors from the last dims·block points overlap this one; skip them.
      const exclude = Math.min(this.memCount, c.dims * c.block);
      let best = Number.POSITIVE_INFINITY;
      for (let j = exclude; j < this.memCount; j++) {
        let idx = this.memPos - 1 - j;
        if (idx < 0) idx += c.memory;
        const base = idx * c.dims;
        let d = 0;
        for (let k = 0; k < c.dims && d < best; k++) {
          const e = (this.vec[k] as number) - (this.mem[base + k] as number);
          d += e * e;
        }
        if (d < best) best = d;
      }
      raw = Number.isFinite(best) ? Math.sqrt(best) : 0;
      this.mem.set(this.vec, this.memPos * c.dims);
      this.memPos = (this.memPos + 1) % c.memory;
      if (this.memCount < c.memory) this.memCount++;
    }
    out.score = this.cal.score(raw);
  }

  private shape(): void {
    const c = this.cfg;
    const range = this.hi > this.lo ? this.hi - this.lo : 1;
    let last = this.lo;
    for (let k = 0; k < c.dims; k++) {
      let s = 0;
      for (let b = 0; b < c.block; b++) {
        const v = this.hist.back((c.dims - k) * c.block - b);
        last = Number.isFinite(v) ? v : last;
        s += last;
      }
      this.vec[k] = (s / c.block - this.lo) / range;
    }
  }

  skip(): void {
    this.cal.skip();
    this.hist.push(Number.NaN);
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return {
      hist: this.hist.toState(),
      mem: Array.from(this.mem),
      memPos: this.memPos,
      memCount: this.memCount,
      lo: this.lo,
      hi: this.hi,
      cal: this.cal.state(),
    };
  }
}
