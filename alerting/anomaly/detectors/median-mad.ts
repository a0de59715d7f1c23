import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { num, nums, obj } from '../state.js';
import { SortedWindow } from '../stats.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/** Robust z-score against the windowed median, scaled by the windowed MAD (×1.4826 ≈ σ). */
export const medianMadDefaults = { window: 64, ...calibrationDefaults };
export type MedianMadConfig = typeof medianMadDefaults;

export class MedianMadDetector implements DetectorCore {
  readonly kind = 'median-mad';
  private readonly cfg: MedianMadConfig;
  private win: SortedWindow;
  private readonly cal: RecordCalibrator;
  private readonly dev: Float64Array;

  constructor(config: Partial<MedianMadConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...medianMadDefaults, ...config };
    this.win = new SortedWindow(this.cfg.window);
    this.dev = new Float64Array(this.cfg.window);
    if (state !== undefined) {
      const w = obj(state, 'win');
      this.win = SortedWindow.fromState(this.cfg.window, nums(w, 'ring'), num(w, 'pos'), num(w, 'count'));
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    let raw = 0;
    if (this.win.count >= 8) {
      const med = this.win.quantile(0.5);
      const sigma = Math.max(1.4826 * this.mad(med), 1e-9 * Math.abs(med), 1e-12);
      raw = Math.abs(x - med) / sigma;
      out.lower = med - 3 * sigma;
      out.upper = med + 3 * sigma;
    }
    out.score = this.cal.score(raw);
    this.win.push(x);
  }

  /** Median absolute deviation: the sorted window's deviations, selected in O(w). */
  private mad(med: number): number {
    const n = this.win.count;
    const d = this.dev;
    for (let i = 0; i < n; i++) d[i] = Math.abs((this.win.sorted[i] as number) - med);
    return quickselect(d, n, n >> 1);
  }

  skip(): void {
    this.cal.skip();
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return { win: this.win.toState(), cal: this.cal.state() };
  }
}

/** k-th smallest of a[0..n) (0-based), Hoare selection; reorders a. */
export function quickselect(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}
