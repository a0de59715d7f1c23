import type { SeriesColumn, StepValue } from './evalTypes.js';
import { duplicateLabelsetError, labelsKey } from './labelKeys.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { MatrixSeries, Point, VectorElement } from './types.js';

/**
 * Conversions of the columnar 'series' form of an instant vector over a pass (see
 * SeriesColumn): to the per-step form for the operators and functions that work one step at a
 * time, and straight to a range query's matrix. Series order is kept, so that a step's vector
 * lists its elements in the order the per-step path would have produced them.
 */

/** The value in the per-step form when it is a 'series' value; any other value as it is. */
export function asPerStep(value: StepValue, steps: Steps): StepValue {
  if (value.kind !== 'series') return value;
  const out: VectorElement[][] = Array.from({ length: steps.count }, () => []);
  for (const { labels, values, present } of value.series) {
    for (let i = 0; i < steps.count; i++) {
      if (present[i] === 1) (out[i] as VectorElement[]).push({ labels, t: stepTime(steps, i), v: values[i] as number });
    }
  }
  return { kind: 'vector', steps: out };
}

/** A range query's result: one point per step where the series is present. */
export function seriesToMatrix(series: readonly SeriesColumn[], steps: Steps): MatrixSeries[] {
  return series.map(({ labels, values, present }) => {
    const points: Point[] = [];
    for (let i = 0; i < steps.count; i++) if (present[i] === 1) points.push({ t: stepTime(steps, i), v: values[i] as number });
    return { labels, points };
  });
}

/** A one-step value repeated over every step of a pass (a step-invariant subtree, see evaluator.ts). */
export function repeatSeries(once: readonly SeriesColumn[], steps: Steps): SeriesColumn[] {
  return once
    .filter((s) => s.present[0] === 1)
    .map((s) => ({ labels: s.labels, values: new Float64Array(steps.count).fill(s.values[0] as number), present: new Uint8Array(steps.count).fill(1) }));
}

/**
 * Prometheus' ContainsSameLabelset over a whole pass: two series with the same labels are an
 * error even when they are never present at the same step (what 2.42 answers for a range
 * function whose output dropped `__name__`).
 */
export function assertDistinctSeries(series: readonly SeriesColumn[]): void {
  if (series.length < 2) return;
  const seen = new Set<string>();
  for (const { labels } of series) {
    const key = labelsKey(labels);
    if (seen.has(key)) throw duplicateLabelsetError();
    seen.add(key);
  }
}
