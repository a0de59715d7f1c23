import { describe, expect, it } from 'vitest';
import type { ShapeConfig } from '../../alerting/index.js';
import { ShapeNovelty, parseSnapshot, serializeSnapshot } from '../../alerting/index.js';
import { gaussian, rng } from './synthetic.js';

const cfg: ShapeConfig = {
  block: 4,
  blockSpread: 0.25,
  dims: 4,
  rho: 0.6,
  rhoSpread: 0.05,
  learn: 400,
  beta: 0.1,
  categories: 8,
  quorum: 0.5,
  agree: 32,
  rest: 50,
};
const SEEDS = [1, 2, 3, 4, 5];

/** Noise around 0 with 2 % of points spiking to ~10: the spikes set the range, the calm sets the shapes. */
function spiky(n: number, seed: number): number[] {
  const g = gaussian(rng(seed));
  const r = rng(seed + 100);
  return Array.from({ length: n }, () => (r() < 0.02 ? 10 : 0) + 0.2 * g());
}

/** Calm noise around 0; one spike to 10 while learning sets the range. */
function calm(n: number, seed: number): number[] {
  const g = gaussian(rng(seed));
  return Array.from({ length: n }, (_, i) => (i === 100 ? 10 : 0) + 0.2 * g());
}

function alarms(s: ShapeNovelty, values: readonly number[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (s.observe(v)) out.push(i);
  });
  return out;
}

describe('ShapeNovelty: a vote of fuzzy-ART shape memories', () => {
  it('never alarms while learning, nor afterwards on the shapes it learnt', () => {
    for (const seed of SEEDS) expect(alarms(new ShapeNovelty(cfg), calm(3000, seed)), `seed ${seed}`).toEqual([]);
  });

  it('alarms once on a new pattern inside the learnt range, then has learnt it', () => {
    for (const seed of SEEDS) {
      const s = new ShapeNovelty(cfg);
      alarms(s, calm(1000, seed));
      // The level sits at 6 for 200 points: no new value (the learning spike went higher), a new shape.
      const stuck = Array.from({ length: 200 }, () => 6);
      const a = alarms(s, stuck);
      expect(a.length, `seed ${seed}`).toBe(1);
      expect(a[0], `seed ${seed}`).toBeLessThan(4 * 5 * 2); // two windows of the largest blocks
      expect(alarms(s, stuck), `seed ${seed}`).toEqual([]);
    }
  });

  it('the vote is quiet on clean bursty noise where single channels are not', () => {
    const count = (quorum: number): number => SEEDS.reduce((n, seed) => n + alarms(new ShapeNovelty({ ...cfg, quorum }), spiky(3000, seed)).length, 0);
    expect(count(1 / 9)).toBeGreaterThan(0); // any one of the nine channels
    expect(count(0.5)).toBe(0);
  });

  it('keeps at most `categories` shapes per channel (the least recently used is replaced)', () => {
    const s = new ShapeNovelty({ ...cfg, categories: 2 });
    const r = rng(4);
    alarms(s, Array.from({ length: 4000 }, (_, i) => (i < 400 ? (i % 2) * 10 : 10 * r())));
    for (const ch of s.toState()['channels'] as { w: number[] }[]) expect(ch.w.length).toBeLessThanOrEqual(2 * 2 * cfg.dims);
  });

  it('round-trips through its state: the restored memory answers identically', () => {
    const a = new ShapeNovelty(cfg);
    const values = spiky(3000, 5).map((v, i) => (i > 1500 && i < 1700 ? 6 : v));
    alarms(a, values.slice(0, 1200));
    const b = new ShapeNovelty(cfg, parseSnapshot(serializeSnapshot({ kind: 'shape', config: {}, state: a.toState() })).state);
    const rest = values.slice(1200);
    expect(alarms(b, rest)).toEqual(alarms(a, rest));
    expect(b.toState()).toEqual(a.toState());
  });
});
