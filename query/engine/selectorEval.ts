import { isStaleNaN } from '../../core/index.js';
import type { LabelMatcher, SeriesSamples } from '../../storage/index.js';
import { isTooManySamples, throwIfAborted } from '../../storage/index.js';
import type { AtModifier, MatrixSelector, VectorSelector } from '../promql/index.js';
import type { EvalContext, RangeWindows, StepValue } from './evalTypes.js';
import { sortByLabels } from './labelOrder.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { MatrixSeries, Point, VectorElement } from './types.js';

/**
 * Selectors over a whole pass of steps, Prometheus 2.42's windows: an instant selector at
 * reference time r takes the latest sample in [r - lookback, r] unless it is a staleness marker;
 * a range selector takes every non-stale sample in [r - range, r]. r is the step's time (or the
 * `@` time) minus the offset. Each selector reads the store once for the whole pass and walks
 * its samples with cursors that only move forward, as steps do.
 */

/** The time `@` pins a selector or subquery to, or undefined when it has none. */
export function atTimeMs(ctx: EvalContext, at: AtModifier): number | undefined {
  if (at === null) return undefined;
  if (at === 'start') return ctx.queryStartMs;
  if (at === 'end') return ctx.queryEndMs;
  return at.ms;
}

/** The reference time of a selector at step i: `@` replaces the step's time (whatever subquery encloses it), then the offset applies. */
function refTimeFn(ctx: EvalContext, sel: VectorSelector, steps: Steps): (i: number) => number {
  const at = atTimeMs(ctx, sel.at);
  return at === undefined ? (i) => stepTime(steps, i) - sel.offsetMs : () => at - sel.offsetMs;
}

export function evalVectorSelector(ctx: EvalContext, sel: VectorSelector, steps: Steps, series: readonly SeriesSamples[], keepSampleTime: boolean): StepValue {
  const ref = refTimeFn(ctx, sel, steps);
  const out: VectorElement[][] = Array.from({ length: steps.count }, () => []);
  for (const s of series) {
    const samples = s.samples;
    let next = 0; // the first sample after the current reference time
    for (let i = 0; i < steps.count; i++) {
      const r = ref(i);
      while (next < samples.length && (samples[next] as Point).t <= r) next++;
      const latest = samples[next - 1];
      if (latest === undefined || latest.t < r - ctx.lookbackDeltaMs || isStaleNaN(latest.v)) continue;
      (out[i] as VectorElement[]).push({ labels: s.labels, t: keepSampleTime ? latest.t : stepTime(steps, i), v: latest.v });
    }
  }
  return { kind: 'vector', steps: out };
}

/** The inclusive time range a vector selector needs over the pass. */
export function vectorSelectorRange(ctx: EvalContext, sel: VectorSelector, steps: Steps): { minT: number; maxT: number } {
  const ref = refTimeFn(ctx, sel, steps);
  return { minT: ref(0) - ctx.lookbackDeltaMs, maxT: ref(steps.count - 1) };
}

export function matrixSelectorRange(ctx: EvalContext, sel: MatrixSelector, steps: Steps): { minT: number; maxT: number } {
  const ref = refTimeFn(ctx, sel.vector, steps);
  return { minT: ref(0) - sel.rangeMs, maxT: ref(steps.count - 1) };
}

export function evalMatrixSelector(ctx: EvalContext, sel: MatrixSelector, steps: Steps, series: readonly SeriesSamples[]): StepValue {
  const ref = refTimeFn(ctx, sel.vector, steps);
  const withoutMarkers: MatrixSeries[] = [];
  for (const s of series) {
    // Staleness markers only end a series for instant selectors; range windows never show them.
    const points = s.samples.filter((p) => !isStaleNaN(p.v));
    if (points.length > 0) withoutMarkers.push({ labels: s.labels, points });
  }
  const windows: RangeWindows = {
    series: sortByLabels(withoutMarkers),
    bounds: (i) => ({ startMs: ref(i) - sel.rangeMs, endMs: ref(i) }),
  };
  return { kind: 'matrix', windows };
}

/**
 * Reads a selector's samples over [minT, maxT]. The querier gets the query's signal (an abort
 * interrupts the store's work) and what is left of the sample budget, which the store counts
 * while reading; the count is charged here too, for stores that load first and count after.
 * Series come back sorted by labels, so results are in a stable order.
 */
export async function readSelector(ctx: EvalContext, matchers: readonly LabelMatcher[], minT: number, maxT: number): Promise<SeriesSamples[]> {
  throwIfAborted(ctx.signal);
  const querier = ctx.queryable.querier(minT, maxT, ctx.signal === undefined ? {} : { signal: ctx.signal });
  let series: SeriesSamples[];
  try {
    series = await querier.selectSamples(matchers, { maxSamples: ctx.budget.remaining });
  } catch (err) {
    throw isTooManySamples(err) ? ctx.budget.exceeded() : err;
  }
  throwIfAborted(ctx.signal);
  let n = 0;
  for (const s of series) n += s.samples.length;
  ctx.budget.charge(n);
  return sortByLabels(series);
}

/**
 * For each step, the series with at least one point in that step's window, their points
 * sliced out: the range-vector argument of a function. Cursors per series move forward with
 * the windows, so a pass costs one walk over the points plus the slices.
 */
export class WindowSlicer {
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private lastStart = -Infinity;

  constructor(private readonly windows: RangeWindows) {
    this.lo = new Int32Array(windows.series.length);
    this.hi = new Int32Array(windows.series.length);
  }

  at(step: number): { series: MatrixSeries[]; startMs: number; endMs: number } {
    const { startMs, endMs } = this.windows.bounds(step);
    // Windows only move forward within a pass; should one move back, start the cursors over.
    if (startMs < this.lastStart) {
      this.lo.fill(0);
      this.hi.fill(0);
    }
    this.lastStart = startMs;
    const out: MatrixSeries[] = [];
    const all = this.windows.series;
    for (let k = 0; k < all.length; k++) {
      const { labels, points } = all[k] as MatrixSeries;
      let lo = this.lo[k] as number;
      let hi = Math.max(this.hi[k] as number, lo);
      while (lo < points.length && (points[lo] as Point).t < startMs) lo++;
      if (hi < lo) hi = lo;
      while (hi < points.length && (points[hi] as Point).t <= endMs) hi++;
      this.lo[k] = lo;
      this.hi[k] = hi;
      if (hi > lo) out.push({ labels, points: points.slice(lo, hi) });
    }
    return { series: out, startMs, endMs };
  }
}
