import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { num, nums, obj } from '../state.js';
import { SortedWindow, robustScale } from '../stats.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Bayesian online change-point detection (Adams & MacKay 2007) with a Normal–Gamma model per run
 * length and a constant hazard. Values are first standardised by a slow robust reference so the
 * prior fits any scale. The run-length posterior is truncated to `maxRun` hypotheses (bounded
 * memory; the tail folds into the last). The statistic is the surprise −log10 of the posterior
 * predictive density of the new value, i.e. how badly every current regime hypothesis explains it.
 */
export const bocpdDefaults = { hazard: 1 / 250, maxRun: 64, window: 256, ...calibrationDefaults };
export type BocpdConfig = typeof bocpdDefaults;

const MU0 = 0;
const KAPPA0 = 1;
const ALPHA0 = 1;
const BETA0 = 1;

export class BocpdDetector implements DetectorCore {
  readonly kind = 'bocpd';
  private readonly cfg: BocpdConfig;
  private readonly cal: RecordCalibrator;
  private ref: SortedWindow;
  private prob: Float64Array;
  private mu: Float64Array;
  private kappa: Float64Array;
  private beta: Float64Array;
  private len = 0;
  /** α depends only on the run length, so the Student-t normalising constants are precomputed. */
  private readonly alpha: Float64Array;
  private readonly logNorm: Float64Array;
  private readonly pred: Float64Array;

  constructor(config: Partial<BocpdConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...bocpdDefaults, ...config };
    const R = this.cfg.maxRun;
    this.ref = new SortedWindow(this.cfg.window);
    this.prob = new Float64Array(R);
    this.mu = new Float64Array(R);
    this.kappa = new Float64Array(R);
    this.beta = new Float64Array(R);
    this.alpha = new Float64Array(R);
    this.logNorm = new Float64Array(R);
    this.pred = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      const a = ALPHA0 + r / 2;
      this.alpha[r] = a;
      this.logNorm[r] = lgamma(a + 0.5) - lgamma(a) - 0.5 * Math.log(2 * Math.PI * a);
    }
    if (state !== undefined) {
      const r = obj(state, 'ref');
      this.ref = SortedWindow.fromState(this.cfg.window, nums(r, 'ring'), num(r, 'pos'), num(r, 'count'));
      this.prob.set(nums(state, 'prob'));
      this.mu.set(nums(state, 'mu'));
      this.kappa.set(nums(state, 'kappa'));
      this.beta.set(nums(state, 'beta'));
      this.len = num(state, 'len');
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    let raw = 0;
    if (this.ref.count >= 8) {
      const med = this.ref.quantile(0.5);
      const scale = robustScale(this.ref, med);
      const z = Math.max(-1e3, Math.min(1e3, (x - med) / scale));
      raw = Math.max(0, this.step(z) + 2);
      out.lower = med - 3 * scale;
      out.upper = med + 3 * scale;
    }
    out.score = this.cal.score(raw);
    this.ref.push(x);
  }

  /** One Adams–MacKay update with standardised value z; returns −log10 predictive density. */
  private step(z: number): number {
    const R = this.cfg.maxRun;
    const H = this.cfg.hazard;
    if (this.len === 0) {
      this.prob[0] = 1;
      this.mu[0] = MU0;
      this.kappa[0] = KAPPA0;
      this.beta[0] = BETA0;
      this.len = 1;
    }
    let evidence = 0;
    for (let r = 0; r < this.len; r++) {
      const a = this.alpha[r] as number;
      const k = this.kappa[r] as number;
      const s2 = ((this.beta[r] as number) * (k + 1)) / (a * k);
      const d = z - (this.mu[r] as number);
      const logp = (this.logNorm[r] as number) - 0.5 * Math.log(s2) - (a + 0.5) * Math.log1p((d * d) / (2 * a * s2));
      const p = Math.exp(logp) * (this.prob[r] as number);
      this.pred[r] = p;
      evidence += p;
    }
    const surprise = evidence > 0 ? -Math.log10(evidence) : 300;
    // Grow every run by one (shifting), fold the longest into the cap, and seed run length 0.
    const newLen = Math.min(this.len + 1, R);
    for (let r = newLen - 1; r >= 1; r--) {
      const src = r - 1;
      let p = (this.pred[src] as number) * (1 - H);
      if (r === R - 1 && this.len === R) p += (this.pred[R - 1] as number) * (1 - H);
      const k = this.kappa[src] as number;
      const m = this.mu[src] as number;
      const d = z - m;
      this.prob[r] = p;
      this.beta[r] = (this.beta[src] as number) + (k * d * d) / (2 * (k + 1));
      this.mu[r] = (k * m + z) / (k + 1);
      this.kappa[r] = k + 1;
    }
    this.prob[0] = evidence * H;
    this.mu[0] = MU0;
    this.kappa[0] = KAPPA0;
    this.beta[0] = BETA0;
    this.len = newLen;
    let total = 0;
    for (let r = 0; r < this.len; r++) total += this.prob[r] as number;
    if (total > 0) for (let r = 0; r < this.len; r++) this.prob[r] = (this.prob[r] as number) / total;
    else this.len = 0;
    return surprise;
  }

  skip(): void {
    this.cal.skip();
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return {
      ref: this.ref.toState(),
      prob: Array.from(this.prob),
      mu: Array.from(this.mu),
      kappa: Array.from(this.kappa),
      beta: Array.from(this.beta),
      len: this.len,
      cal: this.cal.state(),
    };
  }
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lgamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const y = x - 1;
  let a = c[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}
