import { AlarmMask } from '../alarmMask.js';
import { RecordCalibrator } from '../calibrate.js';
import { EvtCalibrator, evtDefaults } from '../evtCalibrator.js';
import { acfAt, findPeriod } from '../period.js';
import { Ring } from '../ring.js';
import { ShapeNovelty } from '../shape.js';
import { num, nums, obj } from '../state.js';
import { SortedWindow, robustScale } from '../stats.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';
import { VisitedRange } from '../visited.js';

/**
 * Vigil's default detector: a two-sided CUSUM over the series' innovations, standardised by a long,
 * robust reference, calibrated per series.
 *  - Innovation: the value itself, or — when the series has a strong cycle (daily, weekly, or any
 *    autocorrelation peak above `seasonalAcf`) — its difference from the same phase one period ago,
 *    so that routine peaks and periodic spikes are not news but a changed day is.
 *  - Reference: median and IQR of every `stride`-th innovation over the last window × stride
 *    points. A long memory of normal is what keeps noisy series quiet; the stride keeps it cheap.
 *  - CUSUM (k, h): one huge deviation or several moderate ones in the same direction both push a
 *    sum past `h`; the sums restart there so the next event is measured afresh.
 *  - A band of reset levels: where the sums last restarted is an accident of `h`, and a noise run
 *    that happens to start just after a restart becomes a "record" for that `h` only. So `hBand`
 *    CUSUMs with `h` spread evenly over h ± hSpread run side by side, each calibrated on its own,
 *    and the score is the mean of their scores: an event scores high when it is a record whatever
 *    the restart phase.
 *  - Calibration: the sum relative to its decaying running maximum (see calibrate.ts), so a score
 *    ≥ 0.5 means "a bigger event than this series has shown lately" (by `margin`, 10 %), then
 *    damped for `mask` points.
 *    The maximum starts decaying only after `hold` points (the 750-point learning period NAB allows):
 *    the extremes of the first days are what "normal" is measured against until then.
 *  - Optionally (`evt` > 0, off by default), an extreme-value calibration of the same sum
 *    (evtCalibrator.ts), alone or together with the record rule; see docs/ANOMALY.md.
 *  - Range: a value beyond the series' all-time range by more than 5 % of that range scores at
 *    least 0.5, rising to 1 at a full range beyond.
 *  - Gaps: a value inside that range but more than `gap` (3.5 %) of it away from every value seen
 *    before scores 0.5 + gap/2 (once per `gapRest` points, and not within `gapRest` points of an
 *    alarm at least as loud: one event pages once): a smaller spike on a series that once had a
 *    bigger one, which the record calibration cannot see, is still a value never seen. On a series
 *    that has only ever been positive the hole must also be `gapLog` (2 %) of the range of log
 *    values: a hole in the sparse upper tail of a heavy-tailed series (counts, bursts) is a few
 *    per cent of the value, not news; a hole near the dense bottom is a large ratio, and stays one.
 *  - Shape: a pattern never seen inside the normal range, when several fuzzy-ART memories agree
 *    (shape.ts), scores `shapeLevel`.
 * Cost per point: two binary searches and memmoves in a 512-slot window every 4th point, a few
 * arithmetic operations per level of the band, a shape match per completed block (against a few
 * categories), and an FFT period check every `fillEvery` points while the history buffer fills,
 * then every `periodEvery` points.
 */
export const vigilDefaults = {
  window: 512,
  stride: 4,
  k: 1,
  h: 5,
  hBand: 5,
  hSpread: 1,
  hAlign: 8,
  buffer: 1024,
  periodEvery: 2048,
  fillEvery: 128,
  seasonalAcf: 0.9,
  keepAcf: 0.5,
  relearn: 200,
  shiftZ: 3,
  spatial: 0.05,
  spatialWarmup: 300,
  gap: 0.035,
  gapBins: 512,
  gapRest: 100,
  /** A hole must also be this fraction of the log-value range (while every value has been > 0); 0 off. */
  gapLog: 0.02,
  shapeBlock: 16,
  shapeBlockSpread: 0.25,
  shapeDims: 4,
  shapeRho: 0.6,
  shapeRhoSpread: 0.05,
  shapeLearn: 750,
  shapeBeta: 0.1,
  shapeCategories: 16,
  shapeQuorum: 0.5,
  shapeAgree: 64,
  shapeRest: 300,
  shapeLevel: 0.6,
  zCap: 50,
  decay: 0.9998,
  hold: 750,
  warmup: 150,
  mask: 100,
  escape: 2,
  margin: 1.1,
  /**
   * Extreme-value calibration (evtCalibrator.ts) of the same statistic: 0 off (the record rule
   * alone), 1 instead of the record rule, 2 both required (the lower score), 3 either (the higher).
   */
  evt: 0,
  ...evtDefaults,
};
export type VigilConfig = typeof vigilDefaults;

export class VigilNabDetector implements DetectorCore {
  readonly kind = 'vigil-nab';
  private readonly cfg: VigilConfig;
  /** One record calibration per reset level of the band (the middle one is `h` itself). */
  private readonly cals: RecordCalibrator[] = [];
  private readonly hs: number[] = [];
  private readonly evt: EvtCalibrator | undefined;
  /** With two calibrations, the alarm mask applies once, to their combination. */
  private readonly mask: AlarmMask | undefined;
  private ref: SortedWindow;
  private hist: Ring;
  private period = 0;
  /** Each level's highest score in the last `hAlign` points, and when it came (n). */
  private peaks: number[];
  private peakAt: number[];
  private ups: number[];
  private downs: number[];
  private n = 0;
  private refMed = Number.NaN;
  private refScale = Number.NaN;
  /** Consecutive points beyond ±shiftZ on one side (sign gives the side). */
  private run = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private visited: VisitedRange;
  /** The same, over log(value), learnt while the series stays positive (`lo` > 0). */
  private visitedLog: VisitedRange;
  private lastGap = Number.NEGATIVE_INFINITY;
  private readonly shape: ShapeNovelty | undefined;

  constructor(config: Partial<VigilConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...vigilDefaults, ...config };
    const c = this.cfg;
    this.ref = new SortedWindow(c.window);
    this.hist = new Ring(c.buffer);
    this.visited = new VisitedRange(c.gapBins);
    this.visitedLog = new VisitedRange(c.gapBins);
    const levels = Math.max(1, Math.round(c.hBand));
    for (let j = 0; j < levels; j++) this.hs.push(levels === 1 ? c.h : c.h - c.hSpread + (2 * c.hSpread * j) / (levels - 1));
    this.ups = this.hs.map(() => 0);
    this.peaks = this.hs.map(() => 0);
    this.peakAt = this.hs.map(() => Number.NEGATIVE_INFINITY);
    this.downs = this.hs.map(() => 0);
    if (state !== undefined) {
      const r = obj(state, 'ref');
      this.ref = SortedWindow.fromState(c.window, nums(r, 'ring'), num(r, 'pos'), num(r, 'count'));
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(c.buffer, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
      this.period = num(state, 'period');
      this.ups = nums(state, 'ups').slice(0, levels);
      this.downs = nums(state, 'downs').slice(0, levels);
      this.peaks = nums(state, 'peaks').slice(0, levels);
      this.peakAt = nums(state, 'peakAt').slice(0, levels);
      if (this.ups.length !== levels || this.downs.length !== levels || this.peaks.length !== levels || this.peakAt.length !== levels) throw new TypeError('state.ups/downs/peaks do not match hBand');
      this.n = num(state, 'n');
      this.run = num(state, 'run');
      this.lo = num(state, 'lo');
      this.hi = num(state, 'hi');
      const v = obj(state, 'visited');
      this.visited = VisitedRange.fromState(c.gapBins, num(v, 'lo'), num(v, 'hi'), nums(v, 'seen'));
      // Snapshots from before round 5 have no log map: it starts empty (the linear check then decides alone).
      if (state['visitedLog'] !== undefined) {
        const w = obj(state, 'visitedLog');
        this.visitedLog = VisitedRange.fromState(c.gapBins, num(w, 'lo'), num(w, 'hi'), nums(w, 'seen'));
      }
      this.lastGap = num(state, 'lastGap');
    }
    const sub = (key: string): { [key: string]: StateValue } | undefined => (state === undefined ? undefined : obj(state, key));
    const cals = state === undefined ? undefined : state['cals'];
    if (state !== undefined && (!Array.isArray(cals) || cals.length !== levels)) throw new TypeError('state.cals does not match hBand');
    for (let j = 0; j < levels; j++) {
      const saved = Array.isArray(cals) ? obj({ cal: cals[j] ?? null }, 'cal') : undefined;
      this.cals.push(new RecordCalibrator(c.evt > 0 ? { ...c, mask: 0 } : c, saved));
    }
    this.evt = c.evt > 0 ? new EvtCalibrator(c, sub('evt')) : undefined;
    this.mask = c.evt > 0 ? new AlarmMask(c, sub('mask')) : undefined;
    if (c.shapeBlock > 0) {
      const shape = {
        block: c.shapeBlock,
        blockSpread: c.shapeBlockSpread,
        dims: c.shapeDims,
        rho: c.shapeRho,
        rhoSpread: c.shapeRhoSpread,
        learn: c.shapeLearn,
        beta: c.shapeBeta,
        categories: c.shapeCategories,
        quorum: c.shapeQuorum,
        agree: c.shapeAgree,
        rest: c.shapeRest,
      };
      this.shape = new ShapeNovelty(shape, state === undefined ? undefined : obj(state, 'shape'));
    }
    if (this.ref.count > 0) this.summarise();
  }

  observe(x: number, out: AnomalyResult): void {
    const c = this.cfg;
    let base = 0;
    if (this.period > 0) {
      base = this.hist.back(this.period);
      // The same phase last cycle is missing: fall back to the latest held value.
      if (!Number.isFinite(base)) base = this.latest(x);
    }
    const inn = x - base;
    let rec = 0;
    let held = 0;
    let fresh = false;
    let raw = 0;
    const mid = this.hs.length >> 1;
    if (this.ref.count >= 8) {
      const med = this.refMed;
      const scale = this.refScale;
      const z = Math.max(-c.zCap, Math.min(c.zCap, (inn - med) / scale));
      for (let j = 0; j < this.hs.length; j++) {
        const up = Math.max(0, (this.ups[j] as number) + z - c.k);
        const down = Math.max(0, (this.downs[j] as number) - z - c.k);
        const r = up > down ? up : down;
        const reset = r > (this.hs[j] as number);
        this.ups[j] = reset ? 0 : up;
        this.downs[j] = reset ? 0 : down;
        const sj = (this.cals[j] as RecordCalibrator).score(r);
        rec += sj;
        if (sj >= (this.peaks[j] as number) || this.n - (this.peakAt[j] as number) > c.hAlign) {
          fresh ||= sj > (this.peaks[j] as number);
          this.peaks[j] = sj;
          this.peakAt[j] = this.n;
        }
        held += this.peaks[j] as number;
        if (j === mid) raw = r;
      }
      // A sustained shift makes every level restart, each at its own moment: when a level reports a
      // new peak, the levels' peaks of the last `hAlign` points are what the event scored.
      if (c.hAlign > 0 && fresh) rec = held;
      out.lower = base + med - 3 * scale;
      out.upper = base + med + 3 * scale;
    } else for (const cal of this.cals) rec += cal.score(0);
    out.score = this.calibrate(rec / this.hs.length, raw);
    // A value beyond everything this series has ever shown, by more than `spatial` × its range,
    // is news however noisy the series is (HTM's "spatial anomaly" in NAB makes the same point).
    if (c.spatial > 0 && this.n >= c.spatialWarmup && this.hi > this.lo) {
      const range = this.hi - this.lo;
      const excess = Math.max(x - this.hi, this.lo - x);
      if (excess > c.spatial * range) out.score = Math.max(out.score, 0.5 + 0.5 * Math.min(1, excess / range));
    }
    // A value in a hole of that range is news too, whatever the calibration's record says; at most
    // once per `gapRest` points, as the first values of a new regime all land in holes.
    const gapScore = 0.5 + 0.5 * c.gap;
    if (out.score >= gapScore) this.lastGap = this.n; // the event already pages: a gap in it is no news
    if (c.gap > 0 && this.n >= c.spatialWarmup && this.n - this.lastGap > c.gapRest && this.isGap(x)) {
      out.score = Math.max(out.score, gapScore);
      this.lastGap = this.n;
    }
    // A pattern never seen, within the normal range: several shape memories must agree (shape.ts).
    if (this.shape?.observe(x) === true) out.score = Math.max(out.score, c.shapeLevel);
    this.visited.learn(x);
    if (x > 0) this.visitedLog.learn(Math.log(x));
    if (x > this.hi) this.hi = x;
    if (x < this.lo) this.lo = x;
    if (this.n % c.stride === 0) {
      this.ref.push(inn);
      this.summarise();
    }
    this.trackShift(inn);
    this.advance(x);
  }

  /**
   * A hole in the visited range: wider than `gap` of the range and, while the series has only been
   * positive, than `gapLog` of the log range too. A fixed fraction of the range means something
   * different where a series is dense (the bottom of a count) and where it is sparse (its upper
   * tail, spread out by a few big bursts); the log scale measures holes as ratios instead.
   */
  private isGap(x: number): boolean {
    const c = this.cfg;
    if (!this.visited.isGap(x, c.gap)) return false;
    if (c.gapLog <= 0 || !(this.lo > 0)) return true;
    return this.visitedLog.isGap(Math.log(x), c.gapLog);
  }

  /**
   * The record rule (`rec`, the band's mean), or with `evt` its combination with the tail
   * probability of the middle level's sum (`raw`). Requiring both
   * (`evt` 2) is the useful one: records keep occurring on pure noise (~ln n in n points), rare
   * tail values do not; and a tail fit alone alarms again and again on a bursty series, where the
   * record rule has learnt the size of its bursts.
   */
  private calibrate(rec: number, raw: number): number {
    if (this.evt === undefined || this.mask === undefined) return rec;
    // Until the tail is fitted (and after every re-learn) the record rule speaks alone.
    const ready = this.evt.ready;
    const e = this.evt.score(raw);
    const mode = this.cfg.evt;
    const s = !ready ? rec : mode === 1 ? e : mode === 2 ? Math.min(e, rec) : Math.max(e, rec);
    return this.mask.apply(s, raw);
  }

  /**
   * A level shift that persists for `relearn` points is the new normal: the long reference would
   * take thousands of points to agree, and meanwhile every point would look equally (and
   * uninformatively) extreme, hiding the next event. So the reference restarts from the recent
   * innovations, and the sums with it. (The calibration keeps its memory: the shift itself was
   * the record to beat.)
   */
  private trackShift(inn: number): void {
    const c = this.cfg;
    if (c.relearn <= 0 || this.ref.count < 8) return;
    const z = (inn - this.refMed) / this.refScale;
    if (z > c.shiftZ) this.run = this.run > 0 ? this.run + 1 : 1;
    else if (z < -c.shiftZ) this.run = this.run < 0 ? this.run - 1 : -1;
    else this.run = 0;
    if (Math.abs(this.run) < c.relearn) return;
    this.run = 0;
    this.ref = new SortedWindow(c.window);
    // The latest `relearn` innovations, including this one (held values are in hist; this one is not yet).
    for (let lag = c.relearn - 1; lag >= 1; lag--) {
      const v = this.hist.back(lag);
      const b = this.period > 0 ? this.hist.back(lag + this.period) : 0;
      if (Number.isFinite(v) && Number.isFinite(b)) this.ref.push(v - b);
    }
    this.ref.push(inn);
    this.summarise();
    this.ups.fill(0);
    this.downs.fill(0);
  }

  /** Median and scale change only when the reference does (every `stride` points): cache them. */
  private summarise(): void {
    this.refMed = this.ref.quantile(0.5);
    this.refScale = robustScale(this.ref, this.refMed);
  }

  private latest(fallback: number): number {
    for (let lag = 1; lag <= this.hist.count; lag++) {
      const v = this.hist.back(lag);
      if (Number.isFinite(v)) return v;
    }
    return fallback;
  }

  skip(): void {
    for (const cal of this.cals) cal.skip();
    this.mask?.skip();
    this.advance(Number.NaN);
  }

  private advance(x: number): void {
    this.hist.push(x);
    this.n++;
    // Check often while the buffer fills (a cycle is found as soon as two fit), then at a slow pace.
    const filling = this.n <= this.cfg.buffer && this.n % this.cfg.fillEvery === 0 && this.n >= 256;
    if (filling || this.n % this.cfg.periodEvery === 0) this.redetectPeriod();
  }

  /** Period from the held history (missing slots carry the last value); only strong cycles count. */
  private redetectPeriod(): void {
    const h = this.hist.toArray();
    let last = 0;
    for (let i = 0; i < h.length; i++) {
      if (Number.isFinite(h[i] as number)) last = h[i] as number;
      else h[i] = last;
    }
    const found = findPeriod(h);
    let p = found.acf >= this.cfg.seasonalAcf ? found.period : 0;
    // Hysteresis: a cycle once established is kept, unless a strong different one is found, while
    // it still explains the history, so that an anomaly inside the buffer (the very thing we want
    // to see) does not unseat the baseline.
    if (p === 0 && this.period > 0 && acfAt(h, this.period) >= this.cfg.keepAcf) p = this.period;
    if (p !== this.period) {
      // Innovations change meaning with the baseline: relearn the reference, sums and calibration.
      this.period = p;
      this.ref = new SortedWindow(this.cfg.window);
      this.ups.fill(0);
      this.downs.fill(0);
      for (const cal of this.cals) cal.reset();
      this.evt?.reset();
      this.mask?.reset();
    }
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return {
      ref: this.ref.toState(),
      hist: this.hist.toState(),
      period: this.period,
      ups: [...this.ups],
      peaks: [...this.peaks],
      peakAt: [...this.peakAt],
      downs: [...this.downs],
      n: this.n,
      run: this.run,
      lo: this.lo,
      hi: this.hi,
      visited: this.visited.toState(),
      visitedLog: this.visitedLog.toState(),
      lastGap: this.lastGap,
      cals: this.cals.map((cal) => cal.state()),
      ...(this.shape === undefined ? {} : { shape: this.shape.toState() }),
      ...(this.evt === undefined ? {} : { evt: this.evt.state() }),
      ...(this.mask === undefined ? {} : { mask: this.mask.state() }),
    };
  }
}
