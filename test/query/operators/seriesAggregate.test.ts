import { describe, expect, it } from 'vitest';
import type { Labels } from '../../../core/index.js';
import type { AggregateOp } from '../../../query/index.js';
import type { SeriesColumn } from '../../../query/engine/index.js';
import { asPerStep, labelsKey, stepsOf, stepTime } from '../../../query/engine/index.js';
import type { SeriesFoldOp } from '../../../query/engine/operators/index.js';
import { aggregateSeries, operators } from '../../../query/engine/operators/index.js';

// aggregateSeries (whole columnar series folded per group) against operators.aggregate applied
// step by step to the same input in the per-step form, which stays the reference: every step's
// groups compared bit for bit (NaN equal to NaN, 0 distinct from -0).

const steps = stepsOf(0, 9_000, 1_000);
const _ = undefined; // absent at that step

/** A series from one value (or absence) per step. */
function column(labels: Labels, perStep: readonly (number | undefined)[]): SeriesColumn {
  const values = new Float64Array(steps.count);
  const present = new Uint8Array(steps.count);
  perStep.forEach((v, i) => {
    if (v === undefined) return;
    values[i] = v;
    present[i] = 1;
  });
  return { labels, values, present };
}

const input: SeriesColumn[] = [
  column({ __name__: 'm', job: 'a', instance: '1', zone: 'x' }, [1, 2, NaN, 4, _, Infinity, -Infinity, 1e308, 0, -0]),
  column({ __name__: 'm', job: 'a', instance: '2', zone: 'y' }, [_, 3, 5, NaN, NaN, Infinity, Infinity, 1e308, -0, 0]),
  column({ __name__: 'm', job: 'b', instance: '1' }, [10, _, -7, 0.1, 0.2, -Infinity, 5, -1e308, 3, _]),
  column({ __name__: 'm', job: 'b', instance: '2', zone: '' }, [0.3, 0.1, _, _, 0.7, 6, NaN, 1e308, _, _]),
  column({ __name__: 'n', job: 'a', instance: '3', zone: 'x' }, [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10]),
  column({ __name__: 'n', job: 'c', instance: '1' }, [_, _, _, _, _, _, _, _, _, 42]),
];

const ops: SeriesFoldOp[] = ['sum', 'avg', 'count', 'min', 'max', 'group'];
const groupings: [string, readonly string[], boolean][] = [
  ['sum(x)', [], false],
  ['by (job)', ['job'], false],
  ['by (zone)', ['zone'], false], // an empty label and a missing one fall into one group
  ['by (__name__, job)', ['__name__', 'job'], false],
  ['without (instance)', ['instance'], true],
  ['without ()', [], true], // drops only the metric name
];

function perStepReference(op: AggregateOp, grouping: readonly string[], without: boolean): Map<string, number>[] {
  const value = asPerStep({ kind: 'series', series: input }, steps);
  if (value.kind !== 'vector') throw new Error('asPerStep gives a vector');
  return value.steps.map((vector, i) => byLabels(operators.aggregate(op, vector, grouping, without, undefined, stepTime(steps, i))));
}

function bySeries(op: SeriesFoldOp, grouping: readonly string[], without: boolean): Map<string, number>[] {
  const value = asPerStep({ kind: 'series', series: aggregateSeries(op, input, grouping, without, steps.count) }, steps);
  if (value.kind !== 'vector') throw new Error('asPerStep gives a vector');
  return value.steps.map(byLabels);
}

function byLabels(vector: readonly { labels: Labels; v: number }[]): Map<string, number> {
  return new Map(vector.map((e) => [labelsKey(e.labels), e.v]));
}

function sameNumbers(a: Map<string, number>[], b: Map<string, number>[]): boolean {
  return (
    a.length === b.length &&
    a.every((step, i) => {
      const other = b[i] as Map<string, number>;
      return step.size === other.size && [...step].every(([k, v]) => other.has(k) && Object.is(other.get(k), v));
    })
  );
}

describe('aggregations over columnar series give what the per-step operators give', () => {
  for (const [name, grouping, without] of groupings) {
    it.each(ops)(`%s ${name}`, (op) => {
      const reference = perStepReference(op, grouping, without);
      const fast = bySeries(op, grouping, without);
      expect(sameNumbers(fast, reference), JSON.stringify({ fast: fast.map((m) => [...m]), reference: reference.map((m) => [...m]) })).toBe(true);
    });
  }

  it('finds each series its group once, not once per step: the output is columnar too', () => {
    const out = aggregateSeries('sum', input, ['job'], false, steps.count);
    expect(out.map((s) => s.labels)).toEqual([{ job: 'a' }, { job: 'b' }, { job: 'c' }]);
    expect([...(out[2] as SeriesColumn).present]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
