import { isStaleNaN } from '../../core/index.js';
import type { LabelMatcher, SelectHints, SeriesSamples } from '../../storage/index.js';
import { isTooManySamples, isTooManySeries, throwIfAborted } from '../../storage/index.js';
import type { AtModifier, MatrixSelector, VectorSelector } from '../promql/index.js';
import type { ColumnSeries, EvalContext, RangeWindows, SeriesColumn, StepValue } from './evalTypes.js';
import type { Steps } from './stepTimes.js';
import { stepTime } from './stepTimes.js';
import type { VectorElement } from './types.js';

/**
 * Selectors over a whole pass of steps, Prometheus 2.42's windows: an instant selector at
 * reference time r takes the latest sample in [r - lookback, r] unless it is a staleness marker;
 * a range selector takes every non-stale sample in [r - range, r]. r is the step's time (or the
 * `@` time) minus the offset. Each selector reads the store once for the whole pass and walks
 * its columns with cursors that only move forward, as steps do: an instant selector makes no
 * object per sample, only its vector's elements.
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

export function evalVectorSelector(ctx: EvalContext, sel: VectorSelector, steps: Steps, series: readonly ColumnSeries[], keepSampleTime: boolean): StepValue {
  const ref = refTimeFn(ctx, sel, steps);
  // Under timestamp() each element carries its sample's time, which only the per-step form holds;
  // otherwise the columnar form: a value per series per step, no object per sample.
  if (!keepSampleTime) return { kind: 'series', series: selectorColumns(ctx, ref, steps, series) };
  const out: VectorElement[][] = Array.from({ length: steps.count }, () => []);
  for (const { labels, timestamps, values } of series) {
    walkSteps(ctx, ref, steps, timestamps, values, (i, t, v) => (out[i] as VectorElement[]).push({ labels, t, v }));
  }
  return { kind: 'vector', steps: out };
}

/** Each series' value at every step (SeriesColumn), leaving out series present at no step. */
function selectorColumns(ctx: EvalContext, ref: (i: number) => number, steps: Steps, series: readonly ColumnSeries[]): SeriesColumn[] {
  const out: SeriesColumn[] = [];
  for (const { labels, timestamps, values } of series) {
    const column = { labels, values: new Float64Array(steps.count), present: new Uint8Array(steps.count) };
    let any = false;
    walkSteps(ctx, ref, steps, timestamps, values, (i, _t, v) => {
      column.values[i] = v;
      column.present[i] = 1;
      any = true;
    });
    if (any) out.push(column);
  }
  return out;
}

/**
 * Calls `emit(step, sampleTime, value)` for every step where the series has a value: the latest
 * sample in [r - lookback, r] at the step's reference time r, unless it is a staleness marker.
 */
function walkSteps(ctx: EvalContext, ref: (i: number) => number, steps: Steps, timestamps: Float64Array, values: Float64Array, emit: (step: number, t: number, v: number) => void): void {
  let next = 0; // index of the first sample after the current reference time
  for (let i = 0; i < steps.count; i++) {
    const r = ref(i);
    while (next < timestamps.length && (timestamps[next] as number) <= r) next++;
    if (next === 0) continue;
    const t = timestamps[next - 1] as number;
    const v = values[next - 1] as number;
    if (t < r - ctx.lookbackDeltaMs || isStaleNaN(v)) continue;
    emit(i, t, v);
  }
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

export function evalMatrixSelector(ctx: EvalContext, sel: MatrixSelector, steps: Steps, series: readonly ColumnSeries[]): StepValue {
  const ref = refTimeFn(ctx, sel.vector, steps);
  const withoutMarkers: ColumnSeries[] = [];
  for (const s of series) {
    const kept = withoutStaleMarkers(s);
    if (kept.timestamps.length > 0) withoutMarkers.push(kept);
  }
  const windows: RangeWindows = {
    series: withoutMarkers,
    bounds: (i) => ({ startMs: ref(i) - sel.rangeMs, endMs: ref(i) }),
  };
  return { kind: 'matrix', windows };
}

/** Staleness markers only end a series for instant selectors; range windows never show them. Unchanged (not copied) when it has none. */
function withoutStaleMarkers(s: ColumnSeries): ColumnSeries {
  const { timestamps, values } = s;
  let markers = 0;
  for (let i = 0; i < values.length; i++) if (isStaleNaN(values[i] as number)) markers++;
  if (markers === 0) return s;
  const t = new Float64Array(values.length - markers);
  const v = new Float64Array(values.length - markers);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (isStaleNaN(values[i] as number)) continue;
    t[n] = timestamps[i] as number;
    v[n++] = values[i] as number;
  }
  return { labels: s.labels, timestamps: t, values: v };
}

/**
 * Reads a selector's samples over [minT, maxT] (`rangeMs` for a range selector, as a hint). The
 * querier gets the query's signal (an abort interrupts the store's work) and what is left of the
 * sample budget, which the store counts while reading; the count is charged here too, for stores
 * that load first and count after. Series come back in label order (the Store contract), so
 * results are in a stable order.
 */
export async function readSelector(ctx: EvalContext, matchers: readonly LabelMatcher[], minT: number, maxT: number, rangeMs?: number): Promise<ColumnSeries[]> {
  throwIfAborted(ctx.signal);
  const querier = ctx.queryable.querier(minT, maxT, ctx.signal === undefined ? {} : { signal: ctx.signal });
  const seriesLeft = ctx.budget.seriesRemaining;
  const hints: SelectHints = {
    startMs: minT,
    endMs: maxT,
    ...(rangeMs === undefined ? {} : { rangeMs }),
    maxSamples: ctx.budget.remaining,
    ...(seriesLeft === Infinity ? {} : { maxSeries: seriesLeft }),
  };
  let series: SeriesSamples[];
  try {
    series = await querier.selectSamples(matchers, hints);
  } catch (err) {
    if (isTooManySamples(err)) throw ctx.budget.exceeded();
    if (isTooManySeries(err)) throw ctx.budget.seriesExceeded();
    throw err;
  }
  throwIfAborted(ctx.signal);
  let n = 0;
  for (const s of series) n += s.timestamps.length;
  ctx.budget.charge(n);
  ctx.budget.chargeSeries(series.length);
  return series; // in label order: the Store contract's
}
