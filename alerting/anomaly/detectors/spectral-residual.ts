import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { fft } from '../fft.js';
import { Ring } from '../ring.js';
import { num, nums, obj } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Spectral residual saliency (Ren et al., KDD 2019). Over the last `window` values, padded with a few
 * extrapolated points so the newest one is not at the edge: the log amplitude spectrum minus its
 * local average is the "novel" part of the spectrum; transformed back with the original phase it
 * gives a saliency map. The statistic is the newest point's saliency relative to the map's mean.
 */
export const spectralResidualDefaults = { window: 64, extend: 5, gradient: 5, average: 3, ...calibrationDefaults };
export type SpectralResidualConfig = typeof spectralResidualDefaults;

export class SpectralResidualDetector implements DetectorCore {
  readonly kind = 'spectral-residual';
  private readonly cfg: SpectralResidualConfig;
  private readonly cal: RecordCalibrator;
  private hist: Ring;
  private readonly size: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly logAmp: Float64Array;

  constructor(config: Partial<SpectralResidualConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...spectralResidualDefaults, ...config };
    // The FFT runs over window − 1 held values, the new value and `extend` extrapolated points.
    let size = 1;
    while (size < this.cfg.window + this.cfg.extend) size <<= 1;
    this.size = size;
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    this.logAmp = new Float64Array(size);
    this.hist = new Ring(size - this.cfg.extend - 1);
    if (state !== undefined) {
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(size - this.cfg.extend - 1, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    let raw = 0;
    if (this.hist.count === this.hist.size) raw = this.saliency(x);
    out.score = this.cal.score(raw);
    this.hist.push(x);
  }

  private saliency(x: number): number {
    const c = this.cfg;
    const n = this.size;
    const held = this.hist.size;
    const re = this.re;
    const im = this.im;
    let last = x;
    for (let i = 0; i < held; i++) {
      const v = this.hist.back(held - i);
      last = Number.isFinite(v) ? v : last;
      re[i] = last;
    }
    re[held] = x;
    // Extrapolate with the mean slope from the last `gradient` points to the newest one.
    let g = 0;
    for (let j = 1; j <= c.gradient; j++) g += (x - (re[held - j] as number)) / j;
    g /= c.gradient;
    const ext = (re[held - c.gradient + 1] as number) + g * c.gradient;
    for (let i = held + 1; i < n; i++) re[i] = ext;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += re[i] as number;
    mean /= n;
    for (let i = 0; i < n; i++) {
      re[i] = (re[i] as number) - mean;
      im[i] = 0;
    }
    fft(re, im);
    for (let i = 0; i < n; i++) this.logAmp[i] = Math.log(Math.hypot(re[i] as number, im[i] as number) + 1e-12);
    for (let i = 0; i < n; i++) {
      let avg = 0;
      let k = 0;
      for (let j = i - (c.average >> 1); j <= i + (c.average >> 1); j++) {
        avg += this.logAmp[(j + n) % n] as number;
        k++;
      }
      const residual = (this.logAmp[i] as number) - avg / k;
      const amp = Math.hypot(re[i] as number, im[i] as number);
      const scale = amp > 0 ? Math.exp(residual) / amp : 0;
      re[i] = (re[i] as number) * scale;
      im[i] = (im[i] as number) * scale;
    }
    fft(re, im, true);
    let smean = 0;
    for (let i = 0; i < n; i++) smean += Math.hypot(re[i] as number, im[i] as number);
    smean /= n;
    const s = Math.hypot(re[held] as number, im[held] as number);
    return smean > 0 ? Math.max(0, (s - smean) / smean) : 0;
  }

  skip(): void {
    this.cal.skip();
    this.hist.push(Number.NaN);
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return { hist: this.hist.toState(), cal: this.cal.state() };
  }
}
