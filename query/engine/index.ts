export type { Engine, EngineOptions, QueryOptions } from './engine.js';
export { createEngine } from './engine.js';
export { compareLabels, sortByLabels } from './labelOrder.js';
// Go's spelling of NaN, ±Inf and -0, shared by every float format the API writes.
export { goSpecialFloat } from './operators/index.js';
export type { MatrixSeries, Point, Queryable, QueryableStore, QueryValue, VectorElement } from './types.js';
export { tenantQueryable } from './types.js';
// The evaluator's building blocks, for the tests that hold the per-series fast path equal to the
// per-step reference path (and for benches); not for other modules.
export type { EvalContext, RangeWindows, SeriesColumn, StepValue } from './evalTypes.js';
export { FUNCTION_IMPLS, RANGE_FUNCTIONS_BY_SERIES } from './functions/index.js';
export { labelsKey } from './labelKeys.js';
export { evalRangeFunction } from './rangeCallEval.js';
export { SampleBudget } from './sampleBudget.js';
export { evalMatrixSelector, matrixSelectorRange, readSelector } from './selectorEval.js';
export { asPerStep } from './seriesSteps.js';
export type { Steps } from './stepTimes.js';
export { stepsOf, stepTime } from './stepTimes.js';
export { WindowSlicer } from './windowSlicer.js';
