import { prng } from '../support/prng.js';

/** Seeded synthetic metric series for detector specifications: 5-minute points, a daily cycle. */

export const STEP_MS = 300_000;
export const DAY = 288;

/** The seeded PRNG every synthetic series is drawn from, so every run sees the same series. */
export const rng = prng;

export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface Scenario {
  name: string;
  /** Index of the first anomalous point, or −1 for a clean series. */
  onset: number;
  values: number[];
}

/** Baseline: level 100, daily sine of amplitude `season`, Gaussian noise σ = 1. */
function base(n: number, seed: number, season: number): number[] {
  const g = gaussian(rng(seed));
  return Array.from({ length: n }, (_, i) => 100 + season * Math.sin((2 * Math.PI * i) / DAY) + g());
}

const N = DAY * 8;
/** Anomalies start on day 7, 40 points in (away from a cycle boundary). */
export const ONSET = DAY * 6 + 40;

export type Baseline = 'flat' | 'seasonal';

/** Every anomaly type on a given baseline (flat noise, or noise on a daily sine of amplitude 10σ). */
export function scenarios(baseline: Baseline, seed: number): Scenario[] {
  const season = baseline === 'seasonal' ? 10 : 0;
  const inject = (f: (v: number, i: number) => number): number[] => base(N, seed, season).map((v, i) => (i >= ONSET ? f(v, i) : v));
  const noise = gaussian(rng(seed + 1000));
  const out: Scenario[] = [
    { name: 'spike (+15σ, one point)', onset: ONSET, values: inject((v, i) => (i === ONSET ? v + 15 : v)) },
    { name: 'level shift (+5σ)', onset: ONSET, values: inject((v) => v + 5) },
    { name: 'trend change (+0.2σ per point)', onset: ONSET, values: inject((v, i) => v + 0.2 * (i - ONSET)) },
    { name: 'variance change (σ × 6)', onset: ONSET, values: inject((v) => v + 5 * noise()) },
    { name: 'clean', onset: -1, values: base(N, seed, season) },
  ];
  if (baseline === 'seasonal') {
    // The daily peak does not happen: half a day with the sine removed.
    out.push({ name: 'daily peak missing', onset: ONSET, values: inject((v, i) => (i < ONSET + DAY / 2 ? v - season * Math.sin((2 * Math.PI * i) / DAY) : v)) });
  }
  return out;
}
