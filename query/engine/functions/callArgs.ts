import type { Labels } from '../../../core/index.js';
import { VigilError } from '../../../core/index.js';
import type { MatrixSeries, Point, VectorElement } from '../types.js';
import { dropMetricName } from '../values.js';
import type { EvalValue } from '../values.js';
import type { CallContext } from './functionTypes.js';

/**
 * Reading a function's evaluated arguments. The parser already checked every call against its
 * signature, so a mismatch here is an evaluator bug: it is reported as such, never guessed around.
 */

export function vectorArg(args: readonly EvalValue[], i: number): readonly VectorElement[] {
  const a = args[i];
  if (a?.kind !== 'vector') throw wrongKind(i, 'vector', a);
  return a.elements;
}

export function matrixArg(args: readonly EvalValue[], i: number): readonly MatrixSeries[] {
  const a = args[i];
  if (a?.kind !== 'matrix') throw wrongKind(i, 'matrix', a);
  return a.series;
}

export function scalarArg(args: readonly EvalValue[], i: number): number {
  const a = args[i];
  if (a?.kind !== 'scalar') throw wrongKind(i, 'scalar', a);
  return a.v;
}

export function stringArg(args: readonly EvalValue[], i: number): string {
  const a = args[i];
  if (a?.kind !== 'string') throw wrongKind(i, 'string', a);
  return a.s;
}

function wrongKind(i: number, expected: string, got: EvalValue | undefined): VigilError {
  return new VigilError('internal', `function argument ${i + 1}: expected a ${expected}, got ${got === undefined ? 'nothing' : `a ${got.kind}`}`);
}

export function vectorResult(elements: VectorElement[]): EvalValue {
  return { kind: 'vector', elements };
}

/**
 * A range-vector function applied series by series, as Prometheus' engine calls it: only for
 * series with at least one point in the window, and `compute` returning undefined drops the
 * series (e.g. rate over a single point). The output loses `__name__` unless `keepName`
 * (last_over_time alone keeps it in 2.42: it acts like an offset).
 */
export function perSeries(
  series: readonly MatrixSeries[],
  ctx: CallContext,
  compute: (points: readonly Point[]) => number | undefined,
  keepName = false,
): EvalValue {
  const out: VectorElement[] = [];
  for (const s of series) {
    if (s.points.length === 0) continue;
    const v = compute(s.points);
    if (v === undefined) continue;
    out.push({ labels: keepName ? s.labels : dropMetricName(s.labels), t: ctx.t, v });
  }
  return vectorResult(out);
}

/** An instant-vector function applied element by element; the output drops `__name__`, as all of 2.42's value-changing ones do. */
export function perElement(elements: readonly VectorElement[], ctx: CallContext, compute: (v: number) => number): EvalValue {
  return vectorResult(elements.map((e) => ({ labels: dropMetricName(e.labels), t: ctx.t, v: compute(e.v) })));
}

/** One element with the given labels and value at ctx.t. */
export function single(labels: Labels, v: number, ctx: CallContext): EvalValue {
  return vectorResult([{ labels, t: ctx.t, v }]);
}
