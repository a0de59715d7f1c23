import { prng as rng } from './prng.js';

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/*
 * Labelled synthetic families that NAB does not contain, for the default detector's specification
 * (test/anomaly/default.test.ts) and the harness (bench/nab/run.ts): seasonal with drift, counters
 * with resets, sparse irregular counts, and lasting step changes at very different scales. Each
 * anomaly states the longest delay (ms) after its onset within which an alarm must come.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** 2026-01-05, a Monday, 00:00 UTC. */
const START = Date.UTC(2026, 0, 5);

export interface LabelledAnomaly {
  what: string;
  onset: number;
  /** An alarm must come within this long after the onset (ms). */
  within: number;
}

export interface FamilySeries {
  family: string;
  name: string;
  timestamps: number[];
  values: number[];
  anomalies: LabelledAnomaly[];
  /** Score the per-second rate (the series is a monotonic counter). */
  counter: boolean;
}

function grid(days: number, stepMs: number): number[] {
  return Array.from({ length: Math.floor((days * DAY) / stepMs) }, (_, i) => START + i * stepMs);
}

/** Office-hours load: low at night, a broad peak in the afternoon, lighter at weekends. */
function dailyShape(t: number): number {
  const h = ((t - START) % DAY) / HOUR;
  const weekday = Math.floor((t - START) / DAY) % 7 < 5;
  return (weekday ? 1 : 0.6) * Math.max(0, Math.sin((Math.PI * (h - 6)) / 14));
}

/** Level 100 drifting up 50 % over 30 days, a daily swing of 60, noise σ 3. */
export function seasonalDrift(seed: number): FamilySeries {
  const g = gaussian(rng(seed));
  const timestamps = grid(30, 5 * MINUTE);
  const spike = START + 12 * DAY + 14 * HOUR;
  const missing = START + 17 * DAY + 9 * HOUR; // a Thursday: the day's peak does not come
  const drop = START + 24 * DAY + 11 * HOUR;
  const values = timestamps.map((t) => {
    let v = 100 * (1 + (0.5 * (t - START)) / (30 * DAY)) + 3 * g();
    if (!(t >= missing && t < missing + 10 * HOUR)) v += 60 * dailyShape(t);
    if (t === spike) v += 60;
    if (t >= drop && t < drop + 6 * HOUR) v -= 40;
    return v;
  });
  return {
    family: 'seasonal with drift',
    name: `seasonal-drift-${seed}`,
    timestamps,
    values,
    anomalies: [
      { what: 'spike +20σ', onset: spike, within: 0 },
      { what: 'daily peak missing', onset: missing, within: 4 * HOUR },
      { what: 'drop −13σ for 6 h', onset: drop, within: 15 * MINUTE },
    ],
    counter: false,
  };
}

/** A request counter at ~50/s with the daily shape, restarting every 20–52 hours, sampled each minute. */
export function counterResets(seed: number): FamilySeries {
  const r = rng(seed);
  const g = gaussian(rng(seed + 1));
  const timestamps = grid(30, MINUTE);
  const burst = START + 10 * DAY + 15 * HOUR;
  const stall = START + 20 * DAY + 14 * HOUR;
  let nextReset = START + (20 + 32 * r()) * HOUR;
  let total = 0;
  const values = timestamps.map((t) => {
    let rate = 20 + 60 * dailyShape(t) + 2 * g();
    if (t >= burst && t < burst + 30 * MINUTE) rate *= 3;
    if (t >= stall && t < stall + HOUR) rate *= 0.05;
    if (t >= nextReset) {
      total = 0;
      nextReset = t + (20 + 32 * r()) * HOUR;
    } else total += Math.max(0, rate) * 60;
    return Math.round(total);
  });
  return {
    family: 'counter with resets',
    name: `counter-resets-${seed}`,
    timestamps,
    values,
    anomalies: [
      { what: 'rate ×3 for 30 min', onset: burst, within: 5 * MINUTE },
      { what: 'rate ×0.05 for 1 h', onset: stall, within: 15 * MINUTE },
    ],
    counter: true,
  };
}

/** Rare events: a Poisson count (mean 0.3 per 5 min), a third of the samples missing. */
export function sparseCounts(seed: number): FamilySeries {
  const r = rng(seed);
  const poisson = (mean: number): number => {
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = r();
    while (u > s && k < 1000) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  };
  const all = grid(30, 5 * MINUTE);
  const burst = START + 11 * DAY + 3 * HOUR;
  const surge = START + 22 * DAY + 16 * HOUR;
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const t of all) {
    const keep = r() > 1 / 3 || t === burst || t === surge;
    const mean = t >= surge && t < surge + 3 * HOUR ? 3 : 0.3;
    const v = t === burst ? 25 : poisson(mean);
    if (keep) {
      timestamps.push(t);
      values.push(v);
    }
  }
  return {
    family: 'sparse counts',
    name: `sparse-${seed}`,
    timestamps,
    values,
    anomalies: [
      { what: 'burst of 25 events', onset: burst, within: 0 },
      { what: 'rate ×10 for 3 h', onset: surge, within: HOUR },
    ],
    counter: false,
  };
}

/** Flat noise at `scale`, with lasting steps of +4σ, +12σ and −40σ (each the new normal). */
export function stepChanges(seed: number, scale: number): FamilySeries {
  const g = gaussian(rng(seed));
  const timestamps = grid(30, 5 * MINUTE);
  const steps = [
    { at: START + 9 * DAY + 10 * HOUR, by: 4, what: 'step +4σ', within: HOUR },
    { at: START + 16 * DAY + 10 * HOUR, by: 12, what: 'step +12σ', within: 0 },
    { at: START + 23 * DAY + 10 * HOUR, by: -40, what: 'step −40σ', within: 0 },
  ];
  const values = timestamps.map((t) => scale * (1000 + g() + steps.filter((s) => t >= s.at).reduce((sum, s) => sum + s.by, 0)));
  return {
    family: 'step changes',
    name: `steps-${seed}-scale-${scale}`,
    timestamps,
    values,
    anomalies: steps.map((s) => ({ what: s.what, onset: s.at, within: s.within })),
    counter: false,
  };
}

export const FAMILY_SEEDS = [1, 2, 3];

export function families(seeds: readonly number[] = FAMILY_SEEDS): FamilySeries[] {
  return seeds.flatMap((seed) => [seasonalDrift(seed), counterResets(seed), sparseCounts(seed), ...[1e-3, 1, 1e6].map((s) => stepChanges(seed, s))]);
}

export interface FamilyOutcome {
  anomaly: LabelledAnomaly;
  /** ms from onset to the first score ≥ the alert level, or −1 if none within a day. */
  delay: number;
}

/**
 * Per series: each anomaly's first alarm (score ≥ `level`) within a day of its onset, and the false
 * alarms: alarm onsets (a score ≥ `level` after one below) outside [onset, onset + a day] of every anomaly.
 */
export function evaluate(series: FamilySeries, scores: readonly number[], level: number): { outcomes: FamilyOutcome[]; falseAlarms: number } {
  const outcomes = series.anomalies.map((anomaly) => {
    const i = series.timestamps.findIndex((t, k) => t >= anomaly.onset && t <= anomaly.onset + DAY && (scores[k] as number) >= level);
    return { anomaly, delay: i < 0 ? -1 : (series.timestamps[i] as number) - anomaly.onset };
  });
  let falseAlarms = 0;
  let above = false;
  series.timestamps.forEach((t, k) => {
    const hit = (scores[k] as number) >= level;
    const labelled = series.anomalies.some((a) => t >= a.onset && t <= a.onset + DAY);
    if (hit && !above && !labelled) falseAlarms++;
    above = hit;
  });
  return { outcomes, falseAlarms };
}

/**
 * 90 days of 5-minute points in three regimes: a daily cycle around 100 (noise σ 2); from day 30
 * the level is 160 and the noise σ 6; from day 60 the level is 80, the cycle twice as deep and
 * shifted by 8 hours (noise σ 3). Each regime is the new normal. On day 20 and ten and a half days
 * into the second regime one point jumps by 8σ of its regime: a detector that does not forget the
 * change it saw stays deaf to the second.
 */
export const REGIME_CHANGES = [START + 30 * DAY, START + 60 * DAY];
export const REGIME_SPIKES = [START + 20 * DAY + 13 * HOUR, START + 40 * DAY + 13 * HOUR];

export function regimeSeries(seed: number): { timestamps: number[]; values: number[] } {
  const g = gaussian(rng(seed));
  const timestamps = grid(90, 5 * MINUTE);
  const values = timestamps.map((t) => {
    const hour = ((t - START) % DAY) / HOUR;
    const spike = REGIME_SPIKES.includes(t) ? 8 : 0;
    if (t < (REGIME_CHANGES[0] as number)) return 100 + 20 * Math.sin((2 * Math.PI * hour) / 24) + 2 * (g() + spike);
    if (t < (REGIME_CHANGES[1] as number)) return 160 + 20 * Math.sin((2 * Math.PI * hour) / 24) + 6 * (g() + spike);
    return 80 + 40 * Math.sin((2 * Math.PI * (hour - 8)) / 24) + 3 * (g() + spike);
  });
  return { timestamps, values };
}
