import type { RangeWindows, SeriesColumn, StepValue } from './evalTypes.js';
import type { PassWindows, RangeFunction } from './functions/index.js';
import { assertDistinctSeries } from './seriesSteps.js';
import type { Steps } from './stepTimes.js';
import { dropMetricName } from './values.js';

/**
 * A call of a function with a per-series implementation (RANGE_FUNCTIONS_BY_SERIES) on a range
 * vector, as Prometheus 2.42 evaluates it: series by series over every step, each series' output
 * labels computed once, the result kept as columns (no object per step per series). As in
 * Prometheus, two output series with the same labels are an error over the whole pass.
 */
export function evalRangeFunction(fn: RangeFunction, windows: RangeWindows, steps: Steps): StepValue {
  const bounds = passWindows(windows, steps.count);
  const out: SeriesColumn[] = [];
  let values = new Float64Array(steps.count);
  let present = new Uint8Array(steps.count);
  for (const s of windows.series) {
    fn.impl(s.timestamps, s.values, bounds, { values, present });
    // A series without output at any step leaves its (still zeroed) columns for the next one.
    if (present.indexOf(1) < 0) continue;
    out.push({ labels: fn.keepsName ? s.labels : dropMetricName(s.labels), values, present });
    values = new Float64Array(steps.count);
    present = new Uint8Array(steps.count);
  }
  assertDistinctSeries(out);
  return { kind: 'series', series: out };
}

function passWindows(windows: RangeWindows, count: number): PassWindows {
  const startMs = new Float64Array(count);
  const endMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const b = windows.bounds(i);
    startMs[i] = b.startMs;
    endMs[i] = b.endMs;
  }
  return { startMs, endMs };
}
