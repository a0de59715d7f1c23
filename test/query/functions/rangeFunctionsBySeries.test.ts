import { describe, expect, it } from 'vitest';
import type { Labels, TimeSeries } from '../../../core/index.js';
import { STALE_NAN } from '../../../core/index.js';
import { parseExpr, tenantQueryable } from '../../../query/index.js';
import type { EvalContext, RangeWindows, StepValue, Steps } from '../../../query/engine/index.js';
import {
  asPerStep,
  evalMatrixSelector,
  evalRangeFunction,
  FUNCTION_IMPLS,
  labelsKey,
  matrixSelectorRange,
  RANGE_FUNCTIONS_BY_SERIES,
  readSelector,
  SampleBudget,
  stepsOf,
  stepTime,
  WindowSlicer,
} from '../../../query/engine/index.js';
import { MemoryStore } from '../memoryStore.js';

// The per-series path of range functions (rangeFunctionTypes.ts) against the per-step
// FunctionImpl of the same name, which stays the reference: same windows, same series, every
// step's output compared bit for bit (NaN equal to NaN, 0 distinct from -0).

const S = 1000;
const series = (job: string, points: readonly (readonly [number, number])[]): TimeSeries => ({
  labels: { __name__: 'x', job },
  samples: points.map(([t, v]) => ({ t: t * S, v })),
});
const every15s = (values: readonly number[], from = 0): [number, number][] => values.map((v, i) => [from + 15 * i, v]);

const store = new MemoryStore().add(
  't',
  // A counter with resets, one to zero, and a sample on every 15 s step boundary.
  series('resets', every15s([0, 10, 20, 5, 15, 0, 30, 31, 31, 2, 8, 40, 41, 42, 1, 3, 9, 27, 81, 82, 83, 84, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])),
  // Irregular spacing and a gap longer than every window below.
  series('gaps', [[1, 5], [2, 6], [17, 7], [40, 3], [41, 3], [300, 100], [301, 90], [333, 95], [480, 110], [599, 200]]),
  // Staleness markers: range windows skip them, the series resumes after each.
  series('stale', [[10, 1], [25, 2], [40, STALE_NAN], [55, 4], [70, STALE_NAN], [85, STALE_NAN], [200, 7], [215, 8], [230, 9], [245, STALE_NAN]]),
  // NaN and infinities among the values.
  series('special', [[0, 1], [15, NaN], [30, NaN], [45, 3], [60, Infinity], [75, 4], [90, -Infinity], [105, -Infinity], [120, NaN], [135, 2], [150, 2e308], [165, -5]]),
  // Constant (deriv 0, changes 0), then a single sample far away.
  series('flat', [...every15s([7, 7, 7, 7, 7, 7, 7, 7]), [590, 7]]),
  // Negative gauge values and equal timestamps spacing at exact window starts.
  series('gauge', every15s([-3, -1, -4, -1, -5, -9, -2, -6, -5, -3, -5, -8, -9, -7, -9, -3, -2, -3, -8, -4, -6, -2, -6, -4, -3, -3, -8, -3, -2, -7, -9, -5, -0, 0, -0, 2, 8, 8, 4, 1], 5)),
);

function context(startMs: number, endMs: number): EvalContext {
  return {
    queryable: tenantQueryable(store, 't'),
    signal: undefined,
    budget: new SampleBudget(1e9, undefined),
    lookbackDeltaMs: 5 * 60 * S,
    defaultSubqueryStepMs: 60 * S,
    queryStartMs: startMs,
    queryEndMs: endMs,
  };
}

async function windowsOf(selector: string, steps: Steps): Promise<RangeWindows> {
  const sel = parseExpr(selector);
  if (sel.type !== 'MatrixSelector') throw new Error(`${selector} is not a range selector`);
  const ctx = context(steps.startMs, steps.endMs);
  const { minT, maxT } = matrixSelectorRange(ctx, sel, steps);
  const value = evalMatrixSelector(ctx, sel, steps, await readSelector(ctx, sel.vector.matchers, minT, maxT, sel.rangeMs));
  if (value.kind !== 'matrix') throw new Error('a range selector gives a matrix');
  return value.windows;
}

/** Each step's output as labels key → value: the per-step path, as callEval's generic loop calls it. */
function perStepReference(name: string, windows: RangeWindows, steps: Steps): Map<string, number>[] {
  const impl = FUNCTION_IMPLS.get(name);
  if (impl === undefined) throw new Error(`no implementation of ${name}`);
  const slicer = new WindowSlicer(windows);
  return Array.from({ length: steps.count }, (_, i) => {
    const window = slicer.at(i);
    const result = impl([{ kind: 'matrix', series: window.series }], { t: stepTime(steps, i), argExprs: [], rangeStartMs: window.startMs, rangeEndMs: window.endMs });
    if (result.kind !== 'vector') throw new Error(`${name} gave a ${result.kind}`);
    return new Map(result.elements.map((e) => [keyOf(e.labels), e.v]));
  });
}

function bySeries(name: string, windows: RangeWindows, steps: Steps): Map<string, number>[] {
  const fn = RANGE_FUNCTIONS_BY_SERIES.get(name);
  if (fn === undefined) throw new Error(`no per-series implementation of ${name}`);
  const value: StepValue = asPerStep(evalRangeFunction(fn, windows, steps), steps);
  if (value.kind !== 'vector') throw new Error('asPerStep gives a vector');
  return value.steps.map((vector) => new Map(vector.map((e) => [keyOf(e.labels), e.v])));
}

const keyOf = (labels: Labels): string => labelsKey(labels);

/** Bit-exact, NaN equal to NaN: what "the same answer" means here. */
function sameNumbers(a: Map<string, number>[], b: Map<string, number>[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((step, i) => {
    const other = b[i] as Map<string, number>;
    return step.size === other.size && [...step].every(([k, v]) => other.has(k) && Object.is(other.get(k), v));
  });
}

const selectors: [string, Steps][] = [
  ['x[1m]', stepsOf(0, 600 * S, 15 * S)], // windows at exact sample times, both edges included
  ['x[30s]', stepsOf(3 * S, 610 * S, 7 * S)], // steps off the sample grid
  ['x[45s] offset 20s', stepsOf(0, 600 * S, 15 * S)],
  ['x[2m] @ 300', stepsOf(0, 600 * S, 60 * S)], // the same window at every step
  ['x[5m]', stepsOf(60 * S, 660 * S, 60 * S)], // windows longer than the gaps
  ['x[15s]', stepsOf(0, 300 * S, 1 * S)], // windows holding zero, one or two points
];

describe('range functions: the per-series path gives what the per-step path gives', () => {
  const names = [...RANGE_FUNCTIONS_BY_SERIES.keys()];
  it('covers every per-series function with a per-step reference', () => {
    for (const name of names) expect(FUNCTION_IMPLS.has(name), name).toBe(true);
    expect(names.length).toBeGreaterThanOrEqual(17);
  });

  for (const [selector, steps] of selectors) {
    it.each(names)(`%s(${selector})`, async (name) => {
      const windows = await windowsOf(selector, steps);
      const reference = perStepReference(name, windows, steps);
      const fast = bySeries(name, windows, steps);
      // The case must say something: some step has output.
      expect(reference.some((step) => step.size > 0)).toBe(true);
      expect(sameNumbers(fast, reference), JSON.stringify({ fast: fast.map((m) => [...m]), reference: reference.map((m) => [...m]) })).toBe(true);
    });
  }

  it('last_over_time keeps __name__, the others drop it', async () => {
    const steps = stepsOf(0, 60 * S, 15 * S);
    const windows = await windowsOf('x[1m]', steps);
    const names = (fn: string): string[] => {
      const v = evalRangeFunction(RANGE_FUNCTIONS_BY_SERIES.get(fn) as NonNullable<ReturnType<typeof RANGE_FUNCTIONS_BY_SERIES.get>>, windows, steps);
      return v.kind === 'series' ? v.series.map((s) => s.labels.__name__ ?? '') : [];
    };
    expect(new Set(names('last_over_time'))).toEqual(new Set(['x']));
    expect(new Set(names('rate'))).toEqual(new Set(['']));
  });
});
