import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { num, nums, obj } from '../state.js';
import { SortedWindow, robustScale } from '../stats.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Two-sided CUSUM (Page 1954) on values standardised by a slow robust reference (windowed median
 * and IQR): small persistent shifts accumulate until they stand out. The statistic is the larger
 * of the two sums; both restart once they pass `h` so the next shift is measured afresh.
 * The reference keeps every `stride`-th value, so it spans window × stride points at the cost of
 * `window` (a long, cheap memory of what normal looks like).
 */
export const cusumDefaults = { window: 256, stride: 1, k: 0.5, h: 8, ...calibrationDefaults };
export type CusumConfig = typeof cusumDefaults;

export class CusumDetector implements DetectorCore {
  readonly kind = 'cusum';
  private readonly cfg: CusumConfig;
  private readonly cal: RecordCalibrator;
  private ref: SortedWindow;
  private up = 0;
  private down = 0;
  private n = 0;

  constructor(config: Partial<CusumConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...cusumDefaults, ...config };
    this.ref = new SortedWindow(this.cfg.window);
    if (state !== undefined) {
      const r = obj(state, 'ref');
      this.ref = SortedWindow.fromState(this.cfg.window, nums(r, 'ring'), num(r, 'pos'), num(r, 'count'));
      this.up = num(state, 'up');
      this.down = num(state, 'down');
      this.n = num(state, 'n');
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    const c = this.cfg;
    let raw = 0;
    if (this.ref.count >= 8) {
      const med = this.ref.quantile(0.5);
      const scale = robustScale(this.ref, med);
      const z = Math.max(-50, Math.min(50, (x - med) / scale));
      this.up = Math.max(0, this.up + z - c.k);
      this.down = Math.max(0, this.down - z - c.k);
      raw = Math.max(this.up, this.down);
      if (raw > c.h) {
        this.up = 0;
        this.down = 0;
      }
      out.lower = med - 3 * scale;
      out.upper = med + 3 * scale;
    }
    out.score = this.cal.score(raw);
    if (this.n++ % c.stride === 0) this.ref.push(x);
  }

  skip(): void {
    this.cal.skip();
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return { ref: this.ref.toState(), up: this.up, down: this.down, n: this.n, cal: this.cal.state() };
  }
}
