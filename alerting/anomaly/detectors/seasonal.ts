import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { detectPeriod } from '../period.js';
import { Ring } from '../ring.js';
import { num, nums, obj } from '../state.js';
import { SortedWindow, robustScale } from '../stats.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Seasonal baseline: the expected value is the median of the values at the same phase in the last
 * `cycles` periods (robust to one bad day), and the statistic is the deviation from it in robust
 * sigmas of recent baseline residuals. The period (daily, weekly, …) is detected by autocorrelation
 * over the held history; with no period the baseline is the median of the last `cycles` values.
 */
export const seasonalDefaults = { cycles: 3, buffer: 4096, periodEvery: 512, residWindow: 256, ...calibrationDefaults };
export type SeasonalConfig = typeof seasonalDefaults;

export class SeasonalDetector implements DetectorCore {
  readonly kind = 'seasonal';
  private readonly cfg: SeasonalConfig;
  private readonly cal: RecordCalibrator;
  private hist: Ring;
  private resid: SortedWindow;
  private period = 0;
  private slots = 0;
  private readonly same = new Float64Array(16);

  constructor(config: Partial<SeasonalConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...seasonalDefaults, ...config };
    this.hist = new Ring(this.cfg.buffer);
    this.resid = new SortedWindow(this.cfg.residWindow);
    if (state !== undefined) {
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(this.cfg.buffer, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
      const r = obj(state, 'resid');
      this.resid = SortedWindow.fromState(this.cfg.residWindow, nums(r, 'ring'), num(r, 'pos'), num(r, 'count'));
      this.period = num(state, 'period');
      this.slots = num(state, 'slots');
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    const base = this.baseline();
    let raw = 0;
    if (Number.isFinite(base)) {
      const r = x - base;
      if (this.resid.count >= 8) {
        const med = this.resid.quantile(0.5);
        const scale = robustScale(this.resid, base);
        raw = Math.abs(r - med) / scale;
        out.lower = base + med - 3 * scale;
        out.upper = base + med + 3 * scale;
      }
      this.resid.push(r);
    }
    out.score = this.cal.score(raw);
    this.advance(x);
  }

  /** Median of the held values at the same phase in up to `cycles` previous periods. */
  private baseline(): number {
    const step = this.period > 0 ? this.period : 1;
    let k = 0;
    for (let c = 1; c <= this.cfg.cycles && k < this.same.length; c++) {
      const v = this.hist.back(c * step);
      if (Number.isFinite(v)) this.same[k++] = v;
    }
    if (k === 0) return Number.NaN;
    const vals = Array.from(this.same.subarray(0, k)).sort((a, b) => a - b);
    return k % 2 === 1 ? (vals[k >> 1] as number) : ((vals[k / 2 - 1] as number) + (vals[k / 2] as number)) / 2;
  }

  skip(): void {
    this.cal.skip();
    this.advance(Number.NaN);
  }

  private advance(x: number): void {
    this.hist.push(x);
    this.slots++;
    if (this.slots % this.cfg.periodEvery === 0 && this.hist.count >= 64) {
      const h = this.hist.toArray();
      let last = 0;
      for (let i = 0; i < h.length; i++) {
        if (Number.isFinite(h[i] as number)) last = h[i] as number;
        else h[i] = last;
      }
      const p = detectPeriod(h);
      if (p !== this.period) {
        this.period = p;
        this.resid = new SortedWindow(this.cfg.residWindow);
      }
    }
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return { hist: this.hist.toState(), resid: this.resid.toState(), period: this.period, slots: this.slots, cal: this.cal.state() };
  }
}
