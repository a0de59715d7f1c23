import { describe, expect, it } from 'vitest';
import { createDetector, detectorNames } from '../../alerting/anomaly/index.js';
import { STEP_MS, gaussian, rng } from './synthetic.js';

type Case = { name: string; values: number[]; /** a constant series must never alarm */ quiet?: boolean };

const n = 1500;
const g = gaussian(rng(3));
const noise = Array.from({ length: n }, () => g());

const cases: Case[] = [
  { name: 'constant', values: new Array<number>(n).fill(42), quiet: true },
  { name: 'constant zero', values: new Array<number>(n).fill(0), quiet: true },
  { name: 'near-constant (noise 1e-9 of the level)', values: noise.map((x) => 1000 + 1e-6 * x) },
  { name: 'huge values (1e300 scale)', values: noise.map((x) => 1e300 * (5 + x)) },
  { name: 'tiny values (1e-300 scale)', values: noise.map((x) => 1e-300 * (5 + x)) },
  { name: 'mostly missing (NaN)', values: noise.map((x, i) => (i % 3 === 0 ? x : Number.NaN)) },
  { name: 'infinities', values: noise.map((x, i) => (i % 50 === 0 ? Number.POSITIVE_INFINITY : i % 77 === 0 ? Number.NEGATIVE_INFINITY : x)) },
  { name: 'alternating extremes', values: noise.map((_, i) => (i % 2 === 0 ? -1e308 : 1e308)) },
];

describe('awkward series: every score is a number in [0, 1]', () => {
  it.each(detectorNames.flatMap((d) => cases.map((c) => [d, c.name, c] as const)))('%s on %s', (detector, _name, c) => {
    const d = createDetector(detector);
    c.values.forEach((v, i) => {
      const r = d.update(i * STEP_MS, v);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      if (c.quiet === true) expect(r.score).toBeLessThan(0.5);
    });
  });
});

describe('the stream guard', () => {
  it('ignores points that are not strictly after the previous one', () => {
    const d = createDetector('vigil');
    for (let i = 0; i < 300; i++) d.update(i * STEP_MS, noise[i] as number);
    const before = JSON.stringify(d.snapshot());
    expect(d.update(299 * STEP_MS, 1e9).score).toBe(0); // duplicate timestamp
    expect(d.update(10 * STEP_MS, 1e9).score).toBe(0); // out of order
    expect(JSON.stringify(d.snapshot())).toBe(before);
  });

  it('a flat-lined series that moves is anomalous', () => {
    const d = createDetector('vigil');
    const s = Array.from({ length: 600 }, (_, i) => d.update(i * STEP_MS, i < 500 ? 7 : 7.5).score);
    expect(Math.max(...s.slice(500, 505))).toBeGreaterThanOrEqual(0.5);
  });

  it('rates a counter first: a reset is not an anomaly, a burst in the rate is', () => {
    // One-minute samples over two days (the default detector learns for a day of time).
    const MIN = 60_000;
    const d = createDetector('vigil', {}, { counter: true });
    let total = 0;
    const s: number[] = [];
    for (let i = 0; i < 2880; i++) {
      total = i === 2000 ? 5 : total + 100 + 5 * (noise[i % n] as number); // the process restarted at 2000
      s.push(d.update(i * MIN, total).score);
    }
    expect(Math.max(...s.slice(1995, 2010))).toBeLessThan(0.5);
    // …while a burst in the rate is caught.
    const e = createDetector('vigil', {}, { counter: true });
    total = 0;
    const burst: number[] = [];
    for (let i = 0; i < 2880; i++) {
      total += i === 2500 ? 3000 : 100 + 5 * (noise[i % n] as number);
      burst.push(e.update(i * MIN, total).score);
    }
    expect(burst[2500]).toBeGreaterThanOrEqual(0.5);
  });

  it('replays gaps as missing slots so the cycle keeps its phase', () => {
    // A daily cycle sampled every 5 minutes, with a one-hour outage: the seasonal baseline must
    // still line up afterwards, i.e. no alarm once the data returns.
    const d = createDetector('vigil');
    const s: number[] = [];
    for (let i = 0; i < 288 * 6; i++) {
      if (i >= 288 * 5 && i < 288 * 5 + 12) continue;
      s.push(d.update(i * STEP_MS, 100 + 10 * Math.sin((2 * Math.PI * i) / 288) + 0.5 * (noise[i % n] as number)).score);
    }
    expect(Math.max(...s.slice(288 * 5 - 10, 288 * 5 + 40))).toBeLessThan(0.5);
  });
});
