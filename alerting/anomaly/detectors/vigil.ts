import { DAY_MS, HOUR_MS, timedWeight } from '../forget.js';
import { num, nums } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/*
 * The default detector (v2): a robust online forecast, a standardised surprise, and a calibration of
 * that surprise against the series' own recent surprises. Everything it knows is an exponentially
 * forgetting average set in time, so it adapts its own normal — a regime change becomes normal
 * within about `memory`, a new daily pattern within about `season` — and its state is ~40 numbers.
 *
 *  1. Forecast: f = base + profile(time of day) + local. `base` is the deseasonalised mean (memory
 *     `memory`), the profile is 24 hourly offsets from it, interpolated between hour centres (memory
 *     `season`), and `local` the recent deviation from both (half-life `react`). The hour comes from
 *     the timestamp: human load is the dominant cycle of operational metrics and the calendar gives
 *     its phase — no period search, no buffer; a series without a daily cycle learns a flat profile.
 *     Every part learns from the observation winsorised at `CLIP` scales of the forecast error
 *     (robust exponential smoothing after Gelper, Fried & Croux 2010), so one spike drags nothing.
 *  2. Surprise q = max(|z|, |m| / sd(m)): z = e / scale, the point deviation (spikes), and m a short
 *     average of clipped z (sustained shifts and trends too small for any single point; divided by
 *     its own standard deviation under white noise so both read in the same units).
 *  3. Calibration (the idea of HTM's anomaly likelihood): how far q lies above its own typical
 *     level, in units of its typical deviation, both forgetting over `memory`: a series whose
 *     residuals are heavy-tailed or autocorrelated raises its own bar, a calm one lowers it.
 *     score = x / (x + K): 0.5 where an exponential tail through those two figures puts 1 point in
 *     10⁴ (K = ln 10⁴), whatever the series' scale.
 *  4. One event pages once: after a score ≥ 0.5, for `quiet` hours nothing scores unless its
 *     surprise exceeds the one that raised the alarm (a bigger event).
 * Nothing is scored during the first `learn` hours (and `LEARN_POINTS` points): a day shows every
 * hour of the profile once. Nothing depends on the series' length, minimum or maximum.
 */

/** The knobs (hours). Each one's reason is in docs/ANOMALY.md; none comes from a benchmark file. */
export const vigilDefaults = {
  /** Half-life of the forecast level: how fast the expected value follows the series. */
  react: 1,
  /** Half-life of the scale and of the surprise calibration: how long until a new regime is normal. */
  memory: 48,
  /** Half-life of each hour's place in the daily profile: how long until a new daily shape is learnt. */
  season: 168,
  /** After an alarm, only a bigger surprise scores within this time. */
  quiet: 4,
  /** No score before this much time (and LEARN_POINTS points) has been seen. */
  learn: 24,
  /** Half-life of the remembered range of values (HTM's "spatial" memory): a month's extremes stay normal. */
  range: 768,
  /** A value beyond the remembered range by this share of its width scores at least 0.5 (0 turns it off). */
  spatial: 0.1,
};
export type VigilConfig = typeof vigilDefaults;

/** Huber clip in scales: 3σ is exceeded by 0.27 % of Gaussian noise, so normal points pass unchanged. */
const CLIP = 3;
/** Weight of the shift average per point: it answers within ~4 points; sd under white noise √(w/(2−w)). */
const SHIFT_W = 0.25;
const SHIFT_SD = Math.sqrt(SHIFT_W / (2 - SHIFT_W));
/** Score 0.5 at an exponential-tail probability of 10⁻⁴ (about once a month of 5-minute points). */
const K = Math.log(1e4);
/** Surprises enter the calibration clipped at its level + this many deviations (anomalies must not teach it). */
const CAL_CLIP = K;
/** The shortest half-life in points, whatever the cadence: an average of one point is no average. */
const MIN_HALF_LIFE_POINTS = 2;
/** A learning period needs a sample, however slow the cadence. */
const LEARN_POINTS = 48;
/** A gap forgets no more than this many cadences: absence of data is not evidence of a new normal. */
const MAX_GAP_STEPS = 4;
/**
 * Before the scale has seen a few points, z means nothing; the calibration starts after WARM points
 * from what |z| of Gaussian white noise would give (mean ≈ 0.8–1, mean absolute deviation ≈ 0.5),
 * weighted as PRIOR_POINTS points, so one wild early point cannot set it.
 */
const WARM = 8;
const PRIOR_Q_MEAN = 1;
const PRIOR_Q_DEV = 0.5;
const PRIOR_POINTS = 8;
/** Surprises are capped so that 1e300-sized values give finite sums. */
const Q_CAP = 1e6;
const BINS = 24;
const MAX_VALUE = 1e306;
/** The cadence follows slow jitter over ~8 points. */
const CADENCE_W = 1 - 2 ** (-1 / 8);

/**
 * Both must hold for a high score: the surprise is rare under the exponential tail through the
 * series' typical surprise and its deviation (0.5 at 10⁻⁴), and it is a record of the last `memory`
 * (r³/(1 + r³), 0.5 at a tie): on heavy-tailed series the tail model alone alarms on every burst of
 * the kind the series keeps having, and the record alone alarms on noise records (~ln n of them).
 */
function calibrated(q: number, excess: number, record: number): number {
  const tail = excess <= 0 ? 0 : excess / (excess + K);
  if (record <= 0) return tail;
  const r3 = (q / record) ** 3;
  const rec = r3 / (1 + r3);
  return tail < rec ? tail : rec;
}

/** forgetWeight's count floor: the plain mean while fewer than 1/weight points were averaged. */
function atLeast(timed: number, count: number): number {
  const floor = count > 0 ? 1 / count : 1;
  return timed > floor ? timed : floor;
}

export class VigilDetector implements DetectorCore {
  readonly kind = 'vigil';
  private readonly cfg: VigilConfig;
  private n = 0;
  private t0 = 0;
  private tPrev = 0;
  /** EW mean of the spacing between points (ms). */
  private cadence = 0;
  private base = 0;
  private local = 0;
  /** Offsets from the base at each hour's centre; bit h of `seen` says hour h has been learnt. */
  private profile: number[] = new Array<number>(BINS).fill(0);
  private seen = 0;
  /** EW mean of |x|: the floor of the scale is relative to the series' magnitude. */
  private magnitude = 0;
  /** Root of the EW mean of the clipped squared residual (kept as a root: squares of 1e300 overflow). */
  private sd = 0;
  private shift = 0;
  /** EW mean and mean absolute deviation of the surprise q. */
  private qMean = PRIOR_Q_MEAN;
  private qDev = PRIOR_Q_DEV;
  /** The largest surprise lately, fading with half-life `memory`. */
  private qMax = 0;
  /** Timed weights for the last step (derived, not state: see timedWeights). */
  private cachedStep = Number.NaN;
  private cachedFloor = Number.NaN;
  private tReact = 0;
  private tMemory = 0;
  private tSeason = 0;
  private tRange = 0;
  /** The remembered range of values. */
  private high = 0;
  private low = 0;
  private quietUntil = Number.NEGATIVE_INFINITY;
  private alarmQ = 0;

  constructor(config: Partial<VigilConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...vigilDefaults, ...config };
    if (state === undefined) return;
    this.n = num(state, 'n');
    this.t0 = num(state, 't0');
    this.tPrev = num(state, 'tPrev');
    this.cadence = num(state, 'cadence');
    this.base = num(state, 'base');
    this.local = num(state, 'local');
    this.seen = num(state, 'seen');
    this.magnitude = num(state, 'magnitude');
    this.profile = nums(state, 'profile');
    if (this.profile.length !== BINS) throw new TypeError(`state.profile has ${this.profile.length} bins, not ${BINS}`);
    this.sd = num(state, 'sd');
    this.shift = num(state, 'shift');
    this.qMean = num(state, 'qMean');
    this.qDev = num(state, 'qDev');
    this.qMax = num(state, 'qMax');
    this.high = num(state, 'high');
    this.low = num(state, 'low');
    this.quietUntil = num(state, 'quietUntil');
    this.alarmQ = num(state, 'alarmQ');
  }

  observe(value: number, out: AnomalyResult, ts: number): void {
    const c = this.cfg;
    // Beyond ±1e306 float64 sums of a few values overflow; such a metric has overflowed already.
    const x = value > MAX_VALUE ? MAX_VALUE : value < -MAX_VALUE ? -MAX_VALUE : value;
    // Position in the day in hours from the first hour's centre: hour i's offset holds at i + 0.5.
    const pos = (((ts % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS - 0.5;
    const lo = pos < 0 ? BINS - 1 : Math.floor(pos);
    const hi = (lo + 1) % BINS;
    const frac = pos < 0 ? pos + 1 : pos - lo;
    if (this.n === 0) {
      this.n = 1;
      this.t0 = ts;
      this.tPrev = ts;
      this.base = x;
      this.magnitude = Math.abs(x);
      out.score = 0;
      return;
    }
    const dt = ts - this.tPrev;
    this.tPrev = ts;
    this.n++;
    const n = this.n;
    this.cadence += atLeast(CADENCE_W, n - 1) * (dt - this.cadence);
    const step = Math.min(dt, MAX_GAP_STEPS * this.cadence);
    const minHalfLife = MIN_HALF_LIFE_POINTS * this.cadence;

    // Forecast and residual, from what was known before this point. An hour not yet learnt counts as 0.
    const pLo = this.seen & (1 << lo) ? (this.profile[lo] as number) : 0;
    const pHi = this.seen & (1 << hi) ? (this.profile[hi] as number) : 0;
    const season = (1 - frac) * pLo + frac * pHi;
    const forecast = this.base + season + this.local;
    const e = x - forecast;
    // A floor relative to the magnitude: a constant series has no scale, yet its first move must read
    // as huge; and a change of a millionth of the value is not news however calm the series.
    const scale = this.sd + 1e-6 * this.magnitude + 1e-300;
    const z = e / scale;
    const zc = z > CLIP ? CLIP : z < -CLIP ? -CLIP : z;
    const shift = this.shift + SHIFT_W * (zc - this.shift);
    const az = Math.abs(z);
    const as = Math.abs(shift) / SHIFT_SD;
    const q = Math.min(az > as ? az : as, Q_CAP);

    // Calibrate the surprise against this series' own surprises.
    const learning = n <= LEARN_POINTS || ts - this.t0 < c.learn * HOUR_MS;
    const dev = this.qDev > 1e-9 ? this.qDev : 1e-9;
    const excess = (q - this.qMean) / dev;
    let score = learning ? 0 : calibrated(q, excess, this.qMax);
    if (c.spatial > 0 && !learning && this.high > this.low) {
      // Never-seen values are news however noisy the series: beyond / (beyond + spatial) is 0.5 at
      // `spatial` of the range's width outside it.
      // The edges are padded by one scale of the forecast error: the extremes of noise keep growing
      // with the sample, so a new extreme of the same noise is not a never-seen value.
      const width = this.high - this.low;
      const pad = scale;
      const beyond = x > this.high + pad ? (x - this.high - pad) / width : x < this.low - pad ? (this.low - pad - x) / width : 0;
      const novelty = beyond / (beyond + c.spatial);
      if (novelty > score) score = novelty;
    }
    if (ts < this.quietUntil && q <= this.alarmQ) score = 0;
    if (score >= 0.5) {
      this.quietUntil = ts + c.quiet * HOUR_MS;
      this.alarmQ = q;
    }
    out.score = score;
    const width = (this.qMean + K * dev) * scale;
    out.lower = learning ? Number.NaN : forecast - width;
    out.upper = learning ? Number.NaN : forecast + width;

    // Learn, from the observation winsorised at CLIP scales (the raw one while the scale is unknown).
    const xw = n <= WARM ? x : forecast + zc * scale;
    this.timedWeights(step, minHalfLife);
    const wMemory = atLeast(this.tMemory, n);
    this.magnitude += wMemory * (Math.abs(x) - this.magnitude);
    this.base += wMemory * (xw - season - this.base);
    // Each hour's offset is an average over the days seen: about (days × points per hour) visits.
    const visits = (Math.floor((ts - this.t0) / DAY_MS) + 1) * Math.max(1, HOUR_MS / this.cadence);
    const wSeason = atLeast(this.tSeason, visits);
    const r = xw - this.base - season;
    this.learnHour(lo, 1 - frac, xw, wSeason * r);
    this.learnHour(hi, frac, xw, wSeason * r);
    this.local += atLeast(this.tReact, n) * (xw - this.base - season - this.local);
    // sd ← √((1 − w)·sd² + w·d²), computed relative to the larger term so that 1e300² cannot overflow.
    const wScale = atLeast(this.tMemory, n - 1);
    const d = Math.abs(xw - forecast);
    const big = d > this.sd ? d : this.sd;
    if (big > 0) {
      const a = this.sd / big;
      const b = d / big;
      this.sd = big * Math.sqrt((1 - wScale) * a * a + wScale * b * b);
    }
    this.shift = shift;
    const faded = this.qMax * (1 - this.tMemory);
    this.qMax = n > WARM && q > faded ? q : faded;
    // The range widens at once to take a new value and narrows toward the base with half-life `range`.
    const wRange = atLeast(this.tRange, n);
    const high = this.high - wRange * (this.high - this.base);
    const low = this.low - wRange * (this.low - this.base);
    this.high = n === 2 ? Math.max(x, this.base) : x > high ? x : high;
    this.low = n === 2 ? Math.min(x, this.base) : x < low ? x : low;
    if (n > WARM) {
      const w = atLeast(this.tMemory, n - WARM + PRIOR_POINTS);
      const qc = Math.min(q, this.qMean + CAL_CLIP * dev);
      this.qMean += w * (qc - this.qMean);
      this.qDev += w * (Math.abs(qc - this.qMean) - this.qDev);
    }
  }

  /** An hour's first visit sets it; later ones move it by its share of the correction. */
  private learnHour(bin: number, share: number, xw: number, correction: number): void {
    if (share === 0) return;
    const bit = 1 << bin;
    if ((this.seen & bit) === 0) {
      this.profile[bin] = xw - this.base;
      this.seen |= bit;
    } else this.profile[bin] = (this.profile[bin] as number) + share * correction;
  }

  /**
   * The time parts of the weights (one power each) depend only on the step and the cadence floor,
   * which are the same from point to point on a regular series: computed again only when they change.
   */
  private timedWeights(step: number, minHalfLife: number): void {
    if (step === this.cachedStep && minHalfLife === this.cachedFloor) return;
    const c = this.cfg;
    this.cachedStep = step;
    this.cachedFloor = minHalfLife;
    this.tReact = timedWeight(step, Math.max(c.react * HOUR_MS, minHalfLife));
    this.tMemory = timedWeight(step, Math.max(c.memory * HOUR_MS, minHalfLife));
    this.tSeason = timedWeight(step * BINS, Math.max(c.season * HOUR_MS, minHalfLife));
    this.tRange = timedWeight(step, Math.max(c.range * HOUR_MS, minHalfLife));
  }

  /** Missing slots teach nothing; the next point's time step carries the gap. */
  skip(): void {}

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return {
      n: this.n,
      t0: this.t0,
      tPrev: this.tPrev,
      cadence: this.cadence,
      base: this.base,
      local: this.local,
      profile: [...this.profile],
      seen: this.seen,
      magnitude: this.magnitude,
      sd: this.sd,
      shift: this.shift,
      qMean: this.qMean,
      qDev: this.qDev,
      qMax: this.qMax,
      high: this.high,
      low: this.low,
      quietUntil: this.quietUntil,
      alarmQ: this.alarmQ,
    };
  }
}
