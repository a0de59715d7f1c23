import { num, nums } from './state.js';
import type { StateValue } from './types.js';

export interface EvtConfig {
  /** Raw values collected before the threshold is set and anything is scored (after every reset, too). */
  evtInit: number;
  /** Quantile of those initial values used as the peaks-over-threshold threshold u. */
  evtQ0: number;
  /** Tail probability that scores 0.5 (the "risk" of SPOT): smaller is stricter. */
  evtRisk: number;
  /** Most recent excesses over u kept for the tail fit: the tail's memory, in peaks. */
  evtPeaks: number;
  /** Per-point decay of the exceedance-rate counts (1 = whole history). */
  evtDecay: number;
  /**
   * Tail model: 0 exponential (σ = mean excess, γ = 0), 1 generalised Pareto by the method of
   * moments. On NAB the exponential tail scored better (79.1 vs 77.6): a shape estimated from a few
   * dozen peaks is noisy, and a negative one puts a hard end point on the tail, past which every
   * value scores 1.
   */
  evtShape: number;
  /** 1: every excess, alarms included, joins the fit (a series that keeps spiking becomes used to it, as with records); 0: alarms are left out (SPOT). */
  evtLearnAlarms: number;
  /** Steepness of the map from −log p to a score. */
  evtPow: number;
  /**
   * 1: a run of consecutive values above u is one peak, its maximum (runs declustering). A CUSUM
   * climbs over several points, and counting each step as a peak would fit the steps, not events.
   */
  evtDecluster: number;
}

export const evtDefaults: EvtConfig = {
  evtInit: 300,
  evtQ0: 0.9,
  evtRisk: 1e-3,
  evtPeaks: 64,
  evtDecay: 0.9998,
  evtShape: 0,
  evtLearnAlarms: 1,
  evtPow: 3,
  evtDecluster: 1,
};

/** Fewer excesses than this, and the shape is not estimated: the tail is taken as exponential. */
const MIN_FIT = 16;

/**
 * A tail probability p as a score: r = ln(1/p) / ln(1/risk), score = r^pow / (1 + r^pow), so that
 * p = risk scores 0.5, p = risk² about 0.9 (pow 3), and p = 1 (not in the tail at all) scores 0.
 */
export function tailScore(p: number, lnRisk: number, pow: number): number {
  if (!(p < 1)) return 0;
  if (!(p > 0)) return 1;
  const rp = (Math.log(1 / p) / lnRisk) ** pow;
  return rp / (1 + rp);
}

/**
 * Peaks-over-threshold calibration after SPOT (Siffer et al., KDD 2017): the excesses of the raw
 * statistic over a high initial quantile u follow, for almost any distribution, a generalised
 * Pareto law; fitted, it turns a new raw value x > u into a tail probability
 *   p = rate × (1 + γ (x − u) / σ)^(−1/γ)   (γ = 0: rate × e^(−(x − u)/σ)),
 * rate = decayed share of points where a peak occurred, and the score is tailScore(p): 0.5 at
 * p = risk. Unlike a record rule, a long stretch of pure noise does not keep producing alarms:
 * its expected alarm rate is about `risk` per point, not ~1/t. Memory is a fixed ring of the
 * last `evtPeaks` excesses with running sums: O(1) per point, refitted only when a peak is added.
 * The threshold is set once per (re)start from the first `evtInit` values and then kept, so that
 * the stored excesses keep their meaning; the decaying rate and the peak ring do the forgetting.
 */
export class EvtCalibrator {
  /** The first values after a (re)start, until the threshold is set; then released. */
  private init: Float64Array;
  private readonly peaks: Float64Array;
  private t = 0;
  private u = Number.NaN;
  private pos = 0;
  private count = 0;
  private sum = 0;
  private sumSq = 0;
  private n = 0;
  private nt = 0;
  /** Maximum of the current run above u (declustering), or NaN outside a run. */
  private runMax = Number.NaN;
  private gamma = 0;
  private sigma = 0;
  private readonly lnRisk: number;

  constructor(
    private readonly cfg: EvtConfig,
    state?: { [key: string]: StateValue },
  ) {
    this.init = new Float64Array(cfg.evtInit);
    this.peaks = new Float64Array(cfg.evtPeaks);
    this.lnRisk = -Math.log(cfg.evtRisk);
    if (state !== undefined) {
      this.init.set(nums(state, 'init'));
      if (num(state, 't') >= cfg.evtInit) this.init = new Float64Array(0);
      this.peaks.set(nums(state, 'peaks'));
      this.t = num(state, 't');
      this.u = num(state, 'u');
      this.pos = num(state, 'pos');
      this.count = num(state, 'count');
      this.sum = num(state, 'sum');
      this.sumSq = num(state, 'sumSq');
      this.n = num(state, 'n');
      this.nt = num(state, 'nt');
      this.runMax = num(state, 'runMax');
      this.gamma = num(state, 'gamma');
      this.sigma = num(state, 'sigma');
    }
  }

  /** Whether the threshold is set and scores mean anything yet. */
  get ready(): boolean {
    return !Number.isNaN(this.u);
  }

  /** Tail probability P(X ≥ x) under the fitted model (1 below the threshold; NaN before it is set). */
  tail(x: number): number {
    if (Number.isNaN(this.u)) return Number.NaN;
    if (!(x > this.u)) return 1;
    if (this.count === 0 || this.n === 0) return 0; // nothing ever exceeded u: x is beyond all history
    const rate = this.nt / this.n;
    const y = x - this.u;
    if (!(this.sigma > 0)) return 0; // all excesses equal: anything larger is off the fitted support
    if (this.gamma === 0) return rate * Math.exp(-y / this.sigma);
    const base = 1 + (this.gamma * y) / this.sigma;
    if (base <= 0) return 0; // beyond the upper end point of a bounded (γ < 0) tail
    return rate * Math.pow(base, -1 / this.gamma);
  }

  score(raw: number): number {
    const x = raw >= 0 ? Math.min(raw, 1e12) : 0;
    let s = 0;
    if (this.t < this.cfg.evtInit) {
      this.init[this.t] = x;
      if (this.t + 1 === this.cfg.evtInit) this.start();
    } else {
      s = tailScore(this.tail(x), this.lnRisk, this.cfg.evtPow);
      this.learn(x, s >= 0.5);
    }
    this.t++;
    return s;
  }

  /** Threshold from the initial values, and their excesses as the first peaks. */
  private start(): void {
    const sorted = Float64Array.from(this.init).sort();
    this.u = sorted[Math.min(sorted.length - 1, Math.floor(this.cfg.evtQ0 * sorted.length))] as number;
    for (const v of this.init) this.learn(v, false);
    this.init = new Float64Array(0);
  }

  private learn(x: number, alarm: boolean): void {
    const d = this.cfg.evtDecay;
    this.n = this.n * d + 1;
    this.nt *= d;
    if (this.cfg.evtDecluster === 1) {
      if (x > this.u && !(alarm && this.cfg.evtLearnAlarms === 0)) {
        this.runMax = Number.isNaN(this.runMax) ? x : Math.max(this.runMax, x);
        return;
      }
      if (Number.isNaN(this.runMax)) return;
      const peak = this.runMax;
      this.runMax = Number.NaN;
      this.addPeak(peak - this.u);
      return;
    }
    if (!(x > this.u) || (alarm && this.cfg.evtLearnAlarms === 0)) return;
    this.addPeak(x - this.u);
  }

  private addPeak(y: number): void {
    this.nt += 1;
    if (this.count === this.peaks.length) {
      const old = this.peaks[this.pos] as number;
      this.sum -= old;
      this.sumSq -= old * old;
    } else this.count++;
    this.peaks[this.pos] = y;
    this.pos = this.pos + 1 === this.peaks.length ? 0 : this.pos + 1;
    this.sum += y;
    this.sumSq += y * y;
    // The ring wrapped: recompute the sums exactly, so subtraction errors cannot accumulate.
    if (this.pos === 0) this.resum();
    this.fit();
  }

  private resum(): void {
    let s = 0;
    let q = 0;
    for (let i = 0; i < this.count; i++) {
      const v = this.peaks[i] as number;
      s += v;
      q += v * v;
    }
    this.sum = s;
    this.sumSq = q;
  }

  /**
   * Method of moments: mean m, variance v of the excesses give γ = (1 − m²/v)/2, σ = m(1 + m²/v)/2.
   * Cheap and, unlike maximum likelihood (Grimshaw), never fails to converge; γ is clamped to
   * [−0.5, 0.5], where the moments exist and the estimate is not wild on a few dozen peaks.
   */
  private fit(): void {
    const m = this.sum / this.count;
    const v = this.sumSq / this.count - m * m;
    if (this.cfg.evtShape === 0 || this.count < MIN_FIT || !(v > 0)) {
      this.gamma = 0;
      this.sigma = m;
      return;
    }
    const g = 0.5 * (1 - (m * m) / v);
    this.gamma = Math.max(-0.5, Math.min(0.5, g));
    // σ from the mean given the clamped γ (mean excess = σ / (1 − γ)), so the scale stays consistent.
    this.sigma = m * (1 - this.gamma);
  }

  /** Forget everything (the statistic changed meaning): collect initial values again. */
  reset(): void {
    this.init = new Float64Array(this.cfg.evtInit);
    this.t = 0;
    this.u = Number.NaN;
    this.pos = 0;
    this.count = 0;
    this.sum = 0;
    this.sumSq = 0;
    this.n = 0;
    this.nt = 0;
    this.runMax = Number.NaN;
    this.gamma = 0;
    this.sigma = 0;
  }

  state(): { [key: string]: StateValue } {
    return {
      init: Array.from(this.init.subarray(0, Math.min(this.t, this.init.length))),
      peaks: Array.from(this.peaks),
      t: this.t,
      u: this.u,
      pos: this.pos,
      count: this.count,
      sum: this.sum,
      sumSq: this.sumSq,
      n: this.n,
      nt: this.nt,
      runMax: this.runMax,
      gamma: this.gamma,
      sigma: this.sigma,
    };
  }
}
