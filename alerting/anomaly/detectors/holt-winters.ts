import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { detectPeriod } from '../period.js';
import { Ring } from '../ring.js';
import { num, nums, obj } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Additive Holt–Winters (level, trend, seasonal) one-step-ahead forecast; the anomaly statistic is
 * the forecast error over an exponentially weighted mean absolute error. The season length is
 * re-detected from recent history; without a season it is Holt's linear method.
 */
export const holtWintersDefaults = {
  alpha: 0.2,
  beta: 0.01,
  gamma: 0.1,
  errorAlpha: 0.02,
  buffer: 2048,
  periodEvery: 512,
  ...calibrationDefaults,
};
export type HoltWintersConfig = typeof holtWintersDefaults;

export class HoltWintersDetector implements DetectorCore {
  readonly kind = 'holt-winters';
  private readonly cfg: HoltWintersConfig;
  private readonly cal: RecordCalibrator;
  private hist: Ring;
  private level = Number.NaN;
  private trend = 0;
  private season: number[] = [];
  private phase = 0;
  private mae = 0;
  private n = 0;
  private slots = 0;

  constructor(config: Partial<HoltWintersConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...holtWintersDefaults, ...config };
    this.hist = new Ring(this.cfg.buffer);
    if (state !== undefined) {
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(this.cfg.buffer, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
      this.level = num(state, 'level');
      this.trend = num(state, 'trend');
      this.season = nums(state, 'season');
      this.phase = num(state, 'phase');
      this.mae = num(state, 'mae');
      this.n = num(state, 'n');
      this.slots = num(state, 'slots');
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    const c = this.cfg;
    let raw = 0;
    if (Number.isNaN(this.level)) this.level = x;
    const p = this.season.length;
    const s = p > 0 ? (this.season[this.phase] as number) : 0;
    const forecast = this.level + this.trend + s;
    const err = x - forecast;
    if (this.n >= 8) {
      const sigma = Math.max(1.25 * this.mae, 1e-9 * Math.abs(forecast), 1e-12);
      raw = Math.abs(err) / sigma;
      out.lower = forecast - 3 * sigma;
      out.upper = forecast + 3 * sigma;
    }
    out.score = this.cal.score(raw);
    // Learn: standard additive updates; errors are clipped so one spike does not wreck the model.
    const clipped = this.n >= 8 ? Math.max(-4 * 1.25 * this.mae, Math.min(4 * 1.25 * this.mae, err)) : err;
    const xc = forecast + clipped;
    const prevLevel = this.level;
    this.level = c.alpha * (xc - s) + (1 - c.alpha) * (this.level + this.trend);
    this.trend = c.beta * (this.level - prevLevel) + (1 - c.beta) * this.trend;
    if (p > 0) this.season[this.phase] = c.gamma * (xc - this.level) + (1 - c.gamma) * s;
    this.mae = this.n === 0 ? Math.abs(err) : this.mae + c.errorAlpha * (Math.abs(clipped) - this.mae);
    this.n++;
    this.advance(x);
  }

  skip(): void {
    this.cal.skip();
    this.level += this.trend;
    this.advance(Number.NaN);
  }

  private advance(x: number): void {
    this.hist.push(x);
    if (this.season.length > 0) this.phase = (this.phase + 1) % this.season.length;
    this.slots++;
    if (this.slots % this.cfg.periodEvery === 0) this.reseason();
  }

  /** On a new period, initialise the seasonal indices from the last cycle's deviations from its mean. */
  private reseason(): void {
    const h = this.hist.toArray();
    let last = 0;
    for (let i = 0; i < h.length; i++) {
      if (Number.isFinite(h[i] as number)) last = h[i] as number;
      else h[i] = last;
    }
    const p = detectPeriod(h);
    if (p === this.season.length) return;
    this.season = [];
    this.phase = 0;
    if (p === 0) return;
    let mean = 0;
    for (let i = h.length - p; i < h.length; i++) mean += h[i] as number;
    mean /= p;
    for (let i = h.length - p; i < h.length; i++) this.season.push((h[i] as number) - mean);
    this.level = mean;
    this.trend = 0;
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return {
      hist: this.hist.toState(),
      level: this.level,
      trend: this.trend,
      season: [...this.season],
      phase: this.phase,
      mae: this.mae,
      n: this.n,
      slots: this.slots,
      cal: this.cal.state(),
    };
  }
}
