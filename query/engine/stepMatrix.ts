import type { ColumnSeries, StepValue } from './evalTypes.js';
import { duplicateLabelsetError, labelsKey } from './labelKeys.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { MatrixSeries, Point } from './types.js';

/**
 * A vector pass turned into series with one point per step where they have a value: a range
 * query's result and a subquery's points. Series appear in the order they first appear.
 */
export function vectorStepsToMatrix(value: Extract<StepValue, { kind: 'vector' }>, steps: Steps): MatrixSeries[] {
  const byKey = new Map<string, { labels: MatrixSeries['labels']; points: Point[] }>();
  value.steps.forEach((vector, i) => {
    const t = stepTime(steps, i);
    for (const e of vector) {
      const key = labelsKey(e.labels);
      let s = byKey.get(key);
      if (s === undefined) byKey.set(key, (s = { labels: e.labels, points: [] }));
      else if ((s.points[s.points.length - 1] as Point).t === t) throw duplicateLabelsetError();
      s.points.push({ t, v: e.v });
    }
  });
  return [...byKey.values()];
}

/** A scalar pass as a range query returns it: one series without labels. */
export function scalarStepsToMatrix(values: Float64Array, steps: Steps): MatrixSeries[] {
  const points: Point[] = [];
  for (let i = 0; i < steps.count; i++) points.push({ t: stepTime(steps, i), v: values[i] as number });
  return [{ labels: {}, points }];
}

export function countPoints(series: readonly MatrixSeries[]): number {
  let n = 0;
  for (const s of series) n += s.points.length;
  return n;
}

/** Series as columns, the shape range vectors keep for a pass (a subquery's points). */
export function toColumns(series: readonly MatrixSeries[]): ColumnSeries[] {
  return series.map(({ labels, points }) => ({
    labels,
    timestamps: Float64Array.from(points, (p) => p.t),
    values: Float64Array.from(points, (p) => p.v),
  }));
}
