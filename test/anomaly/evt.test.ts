import { describe, expect, it } from 'vitest';
import { createDetector, EvtCalibrator, evtDefaults, parseSnapshot, restoreDetector, serializeSnapshot, tailScore } from '../../alerting/index.js';
import { DAY, STEP_MS, gaussian, rng } from './synthetic.js';

/**
 * A long memory, many peaks, every excess a peak (the draws are independent): these tests check
 * the estimator, not the streaming trade-offs.
 */
const fitConfig = { ...evtDefaults, evtInit: 1000, evtQ0: 0.9, evtPeaks: 4000, evtDecay: 1, evtShape: 1, evtDecluster: 0 };

function fed(cal: EvtCalibrator, n: number, draw: () => number): EvtCalibrator {
  for (let i = 0; i < n; i++) cal.score(draw());
  return cal;
}

/** |log(a/b)|: how many e-folds apart two probabilities are. */
function logRatio(a: number, b: number): number {
  return Math.abs(Math.log(a / b));
}

describe('tailScore', () => {
  const lnRisk = -Math.log(1e-3);
  it('scores 0.5 at the risk level, 0 outside the tail, 1 beyond the support', () => {
    expect(tailScore(1e-3, lnRisk, 3)).toBeCloseTo(0.5, 12);
    expect(tailScore(1, lnRisk, 3)).toBe(0);
    expect(tailScore(0, lnRisk, 3)).toBe(1);
  });

  it('is monotone: a rarer value scores higher', () => {
    let prev = 0;
    for (const p of [0.5, 0.1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-9]) {
      const s = tailScore(p, lnRisk, 3);
      expect(s).toBeGreaterThan(prev);
      prev = s;
    }
  });
});

describe('EvtCalibrator: tail probabilities against known distributions', () => {
  it.each([0, 1])('exponential data, tail model %d: P(X > x) = e^(−x)', (evtShape) => {
    const u = rng(1);
    const cal = fed(new EvtCalibrator({ ...fitConfig, evtShape }), 40_000, () => -Math.log(1 - u()));
    for (const x of [4, 6, 8]) expect(logRatio(cal.tail(x), Math.exp(-x)), `x = ${x}`).toBeLessThan(0.3);
  });

  it('Gaussian data (shifted positive): right at 1e-3; at 1e-4 too light, by a bounded factor', () => {
    const g = gaussian(rng(2));
    const cal = fed(new EvtCalibrator(fitConfig), 40_000, () => 10 + g());
    // One-sided standard normal quantiles: P(Z > 3.0902) = 1e-3, P(Z > 3.7190) = 1e-4.
    expect(logRatio(cal.tail(13.0902), 1e-3)).toBeLessThan(Math.log(1.5));
    // A Gaussian reaches its limiting (γ = 0) tail only slowly: over the 90 % quantile the
    // fitted γ is about −0.16, so far out the fit underestimates the tail (≈ 3e-5 for 1e-4).
    const p4 = cal.tail(13.719);
    expect(p4).toBeLessThan(1e-4);
    expect(logRatio(p4, 1e-4)).toBeLessThan(Math.log(4));
  });

  it('Pareto data (shape 1/4): a heavy tail, P(X > x) = x^(−4)', () => {
    const u = rng(3);
    const cal = fed(new EvtCalibrator(fitConfig), 40_000, () => (1 - u()) ** -0.25);
    expect(cal.state()['gamma']).toBeGreaterThan(0.1);
    for (const x of [3, 5.62]) expect(logRatio(cal.tail(x), x ** -4), `x = ${x}`).toBeLessThan(Math.log(2));
  });

  it('a value beyond anything seen after a flat start is certain news; nothing is scored before the threshold', () => {
    const cal = new EvtCalibrator({ ...evtDefaults, evtInit: 50 });
    for (let i = 0; i < 50; i++) expect(cal.score(0)).toBe(0);
    expect(cal.ready).toBe(true);
    expect(cal.score(0)).toBe(0);
    expect(cal.score(3)).toBe(1);
  });

  it('declustering: a run of values above the threshold is one peak', () => {
    const u = rng(4);
    const cal = new EvtCalibrator({ ...evtDefaults, evtInit: 100, evtQ0: 0.5, evtDecluster: 1 });
    for (let i = 0; i < 100; i++) cal.score(u());
    const before = cal.state()['count'];
    for (const x of [2, 3, 4, 5, 0]) cal.score(x); // one run of four, then below u again
    expect(cal.state()['count']).toBe((before as number) + 1);
  });

  it('restores from its state and scores on identically; the state does not grow', () => {
    const g = gaussian(rng(5));
    const xs = Array.from({ length: 6000 }, () => Math.abs(g()) * (1 + Math.abs(g())));
    const a = new EvtCalibrator(evtDefaults);
    for (let i = 0; i < 3000; i++) a.score(xs[i] as number);
    const size = JSON.stringify(a.state()).length;
    const b = new EvtCalibrator(evtDefaults, a.state());
    for (let i = 3000; i < 6000; i++) expect(b.score(xs[i] as number), `point ${i}`).toBe(a.score(xs[i] as number));
    expect(b.state()).toEqual(a.state());
    expect(JSON.stringify(a.state()).length / size).toBeLessThan(1.2);
  });
});

describe('vigil with the extreme-value calibration', () => {
  it.each([1, 2, 3])('evt %d: a restored detector scores on identically', (evt) => {
    const g = gaussian(rng(6));
    const d = createDetector('vigil-nab', { evt });
    const n = 3000;
    const v = Array.from({ length: n }, (_, i) => 50 + 8 * Math.sin((2 * Math.PI * i) / 288) + g() + (i === 2200 ? 30 : 0));
    for (let i = 0; i < 1500; i++) d.update(i * STEP_MS, v[i] as number);
    const r = restoreDetector(parseSnapshot(serializeSnapshot(d.snapshot())));
    let alarms = 0;
    for (let i = 1500; i < n; i++) {
      const a = d.update(i * STEP_MS, v[i] as number);
      expect(r.update(i * STEP_MS, v[i] as number), `point ${i}`).toEqual(a);
      if (i === 2200) expect(a.score).toBeGreaterThanOrEqual(0.5);
      if (a.score >= 0.5) alarms++;
    }
    expect(alarms).toBeLessThanOrEqual(4);
    expect(serializeSnapshot(r.snapshot())).toBe(serializeSnapshot(d.snapshot()));
  });

  it.each([0, 10])('on long clean noise (daily amplitude %d), requiring a rare tail value as well as a record alarms less', (season) => {
    const alarms = (config: { [key: string]: number }): number => {
      let count = 0;
      for (const seed of [1, 2, 3]) {
        const g = gaussian(rng(seed));
        const d = createDetector('vigil-nab', config);
        for (let i = 0; i < 20_000; i++) {
          const v = 100 + season * Math.sin((2 * Math.PI * i) / DAY) + g();
          if (d.update(i * STEP_MS, v).score >= 0.5 && i >= 1000) count++;
        }
      }
      return count;
    };
    // Records of a decaying maximum keep coming on pure noise; the tail fit expects none of them.
    expect(alarms({ evt: 2 })).toBeLessThan(0.8 * alarms({}));
  });
});
