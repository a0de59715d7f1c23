/**
 * SCAFFOLD, to be replaced at merge by the functions branch: only the functions the evaluator's
 * own tests call, written the simplest correct way. Keep everything here so the merge swaps
 * this one file.
 */
import type { MatrixSeries, VectorElement } from '../types.js';
import type { EvalValue } from '../values.js';
import { dropMetricName } from '../values.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';

function matrixArg(args: readonly EvalValue[]): readonly MatrixSeries[] {
  const a = args[0];
  if (a?.kind !== 'matrix') throw new Error('expected a range vector');
  return a.series;
}

function vectorArg(args: readonly EvalValue[]): readonly VectorElement[] {
  const a = args[0];
  if (a?.kind !== 'vector') throw new Error('expected an instant vector');
  return a.elements;
}

function overTime(f: (s: MatrixSeries) => number): FunctionImpl {
  return (args, ctx) => ({ kind: 'vector', elements: matrixArg(args).map((s) => ({ labels: dropMetricName(s.labels), t: ctx.t, v: f(s) })) });
}

/** Prometheus' extrapolatedRate for rate(). */
function rate(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  const start = ctx.rangeStartMs as number;
  const end = ctx.rangeEndMs as number;
  const elements: VectorElement[] = [];
  for (const s of matrixArg(args)) {
    const p = s.points;
    if (p.length < 2) continue;
    const first = p[0] as { t: number; v: number };
    const last = p[p.length - 1] as { t: number; v: number };
    let result = last.v - first.v;
    for (let i = 1; i < p.length; i++) if ((p[i] as { v: number }).v < (p[i - 1] as { v: number }).v) result += (p[i - 1] as { v: number }).v;
    let toStart = (first.t - start) / 1000;
    const toEnd = (end - last.t) / 1000;
    const sampled = (last.t - first.t) / 1000;
    const avg = sampled / (p.length - 1);
    if (result > 0 && first.v >= 0) toStart = Math.min(toStart, sampled * (first.v / result));
    const threshold = avg * 1.1;
    let interval = sampled;
    interval += toStart < threshold ? toStart : avg / 2;
    interval += toEnd < threshold ? toEnd : avg / 2;
    elements.push({ labels: dropMetricName(s.labels), t: ctx.t, v: (result * (interval / sampled)) / ((end - start) / 1000) });
  }
  return { kind: 'vector', elements };
}

export const FUNCTION_IMPLS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['rate', rate],
  ['sum_over_time', overTime((s) => s.points.reduce((a, p) => a + p.v, 0))],
  ['count_over_time', overTime((s) => s.points.length)],
  ['timestamp', (args, ctx) => ({ kind: 'vector', elements: vectorArg(args).map((e) => ({ labels: dropMetricName(e.labels), t: ctx.t, v: e.t / 1000 })) })],
  ['time', (_args, ctx) => ({ kind: 'scalar', v: ctx.t / 1000 })],
  ['sort_desc', (args) => ({ kind: 'vector', elements: [...vectorArg(args)].sort((a, b) => b.v - a.v) })],
]);
