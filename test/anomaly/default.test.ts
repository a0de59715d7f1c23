import { describe, expect, it } from 'vitest';
import type { AnomalyResult } from '../../alerting/anomaly/index.js';
import { DEFAULT_DETECTOR, VigilDetector, createDetector, serializeSnapshot } from '../../alerting/anomaly/index.js';
import type { FamilySeries } from '../support/anomalyFamilies.js';
import { DAY, HOUR, REGIME_CHANGES, REGIME_SPIKES, evaluate, families, regimeSeries } from '../support/anomalyFamilies.js';
import { gaussian, rng } from './synthetic.js';

/** The specification of the default detector (docs/ANOMALY.md, "The default detector"). */
const ALARM = 0.5;

function run(s: { timestamps: readonly number[]; values: readonly number[]; counter?: boolean }): AnomalyResult[] {
  const d = createDetector(DEFAULT_DETECTOR, {}, { counter: s.counter ?? false });
  return s.values.map((v, i) => d.update(s.timestamps[i] as number, v));
}

const all = families();

describe('synthetic families NAB lacks: each anomaly alarmed within its stated delay', () => {
  const cases = all.flatMap((s) => s.anomalies.map((a) => [s.name, a.what, a.within / 60_000, s, a.onset] as const));
  it.each(cases)('%s: %s within %d min', (_name, _what, _minutes, s, onset) => {
    const r = evaluate(s, run(s).map((x) => x.score), ALARM);
    const o = r.outcomes.find((x) => x.anomaly.onset === onset);
    expect(o?.delay, 'never alarmed within a day').toBeGreaterThanOrEqual(0);
    expect(o?.delay).toBeLessThanOrEqual(o?.anomaly.within ?? -1);
  });
});

describe('synthetic families: false alarms (alarm onsets away from every anomaly) in 30 days', () => {
  /**
   * What the detector does today, stated so that a change that makes it noisier fails: sparse counts
   * are the hard case (a run of ordinary events is itself rare); on flat noise the first days after
   * learning can show a new extreme beyond the young range (docs/ANOMALY.md, limitations).
   */
  const limits: Record<string, number> = { 'seasonal with drift': 0, 'counter with resets': 0, 'sparse counts': 6, 'step changes': 2 };
  it.each(all.map((s) => [s.name, limits[s.family] as number, s] as const))('%s: at most %d', (_name, limit, s: FamilySeries) => {
    expect(evaluate(s, run(s).map((x) => x.score), ALARM).falseAlarms).toBeLessThanOrEqual(limit);
  });
});

describe('90 simulated days with two regime changes', () => {
  /** The level follows within `react` (1 h) and the scale within `memory` (48 h); the stated bound is 6 h. */
  const SETTLE = 6 * HOUR;
  const alarmTimes = (seed: number, config: Record<string, number>): number[] => {
    const s = regimeSeries(seed);
    const d = createDetector(DEFAULT_DETECTOR, config);
    return s.timestamps.filter((t, i) => d.update(t, s.values[i] as number).score >= ALARM);
  };
  const isSpike = (t: number): boolean => REGIME_SPIKES.includes(t);

  it.each([1, 2, 3, 4, 5])('seed %d: each change alarms within 15 minutes, and alarms stop within 6 hours', (seed) => {
    const alarms = alarmTimes(seed, {}).filter((t) => !isSpike(t));
    const bounds = [...REGIME_CHANGES, Number.POSITIVE_INFINITY];
    REGIME_CHANGES.forEach((change, k) => {
      expect(alarms.some((t) => t >= change && t <= change + 15 * 60_000), `change ${k + 1} not alarmed`).toBe(true);
      const late = alarms.filter((t) => t > change + SETTLE && t < (bounds[k + 1] as number));
      expect(late.map((t) => ((t - change) / DAY).toFixed(2)), `alarms days after change ${k + 1}`).toEqual([]);
    });
  });

  it.each([1, 2, 3, 4, 5])('seed %d: an 8σ spike ten days into the new regime alarms (the change is forgotten)', (seed) => {
    const alarms = alarmTimes(seed, {});
    for (const spike of REGIME_SPIKES) expect(alarms.includes(spike), `spike on day ${((spike - (REGIME_SPIKES[0] as number)) / DAY + 20).toFixed(1)}`).toBe(true);
  });

  it('without forgetting (memory and range of ~a century) the detector stays deaf after the first change', () => {
    const deaf = [1, 2, 3, 4, 5].filter((seed) => !alarmTimes(seed, { memory: 1e6, range: 1e6 }).includes(REGIME_SPIKES[1] as number));
    expect(deaf).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the expected band', () => {
  const g = gaussian(rng(7));
  const timestamps = Array.from({ length: 14 * 288 }, (_, i) => i * 300_000);
  const values = timestamps.map((t) => 100 + 20 * Math.sin((2 * Math.PI * t) / (24 * HOUR)) + 2 * g());
  const spikeAt = 10 * 288 + 100;
  values[spikeAt] = (values[spikeAt] as number) + 60;
  const r = run({ timestamps, values });

  it('is absent while learning (the first day)', () => {
    expect(r.slice(0, 288).every((x) => Number.isNaN(x.lower) && Number.isNaN(x.upper))).toBe(true);
  });

  it('holds at least 99.5 % of ordinary points after learning, and is narrower than the daily swing', () => {
    const after = r.map((x, i) => ({ x, v: values[i] as number, i })).filter(({ i }) => i >= 2 * 288 && i !== spikeAt);
    const inside = after.filter(({ x, v }) => x.lower <= v && v <= x.upper).length;
    expect(inside / after.length).toBeGreaterThanOrEqual(0.995);
    const widths = after.map(({ x }) => x.upper - x.lower).sort((a, b) => a - b);
    expect(widths[Math.floor(widths.length / 2)]).toBeLessThan(40);
  });

  it('follows the daily cycle: its centre is within 3σ of the cycle at every point after learning', () => {
    const centres = r.map((x, i) => ({ c: (x.lower + x.upper) / 2, t: timestamps[i] as number })).slice(2 * 288);
    for (const { c, t } of centres) expect(Math.abs(c - (100 + 20 * Math.sin((2 * Math.PI * t) / (24 * HOUR))))).toBeLessThan(6);
  });

  it('excludes a spike, which alarms', () => {
    const x = r[spikeAt] as AnomalyResult;
    expect(values[spikeAt]).toBeGreaterThan(x.upper);
    expect(x.score).toBeGreaterThanOrEqual(ALARM);
  });
});

describe('scores straight from the detector core (no clamping wrapper)', () => {
  const g = gaussian(rng(11));
  const awkward: [string, (i: number) => number][] = [
    ['white noise', () => g()],
    ['constant', () => 42],
    ['a constant that moves once', (i) => (i < 600 ? 7 : 7.5)],
    ['1e300-sized values', () => 1e300 * (5 + g())],
    ['1e-300-sized values', () => 1e-300 * (5 + g())],
    ['alternating extremes', (i) => (i % 2 === 0 ? -1e308 : 1e308)],
    ['spikes of 1e12 every 100 points', (i) => (i % 100 === 99 ? 1e12 : g())],
  ];
  it.each(awkward)('%s: every score is a finite number in [0, 1)', (_name, f) => {
    const core = new VigilDetector();
    const out: AnomalyResult = { score: 0, lower: Number.NaN, upper: Number.NaN };
    for (let i = 0; i < 3000; i++) {
      core.observe(f(i), out, i * 300_000);
      expect(Number.isFinite(out.score), `point ${i}: ${out.score}`).toBe(true);
      expect(out.score).toBeGreaterThanOrEqual(0);
      expect(out.score).toBeLessThan(1);
    }
  });

  it('a constant series never alarms, and its first move does', () => {
    const core = new VigilDetector();
    const out: AnomalyResult = { score: 0, lower: Number.NaN, upper: Number.NaN };
    const s: number[] = [];
    for (let i = 0; i < 700; i++) {
      core.observe(i < 600 ? 7 : 7.5, out, i * 300_000);
      s.push(out.score);
    }
    expect(Math.max(...s.slice(0, 600))).toBe(0);
    expect(s[600]).toBeGreaterThanOrEqual(ALARM);
  });
});

describe('bounded state', () => {
  const bytes = (s: { timestamps: readonly number[]; values: readonly number[]; counter?: boolean }, upTo: number): number => {
    const d = createDetector(DEFAULT_DETECTOR, {}, { counter: s.counter ?? false });
    for (let i = 0; i < upTo; i++) d.update(s.timestamps[i] as number, s.values[i] as number);
    return Buffer.byteLength(serializeSnapshot(d.snapshot()));
  };
  it.each(all.map((s) => [s.name, s] as const))('%s: at most 4 KB serialised, after a day and after the whole series', (_name, s) => {
    const oneDay = s.timestamps.findIndex((t) => t >= (s.timestamps[0] as number) + DAY);
    expect(bytes(s, s.values.length)).toBeLessThanOrEqual(4096);
    expect(bytes(s, oneDay)).toBeLessThanOrEqual(4096);
  });
  it('90 days: at most 4 KB, no more than after a day', () => {
    const s = regimeSeries(1);
    const day = bytes(s, 288);
    const end = bytes(s, s.values.length);
    expect(end).toBeLessThanOrEqual(4096);
    // Numbers print with different digit counts; the structure must not grow.
    expect(Math.abs(end - day)).toBeLessThan(200);
  });
});
