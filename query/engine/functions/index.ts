import { CONVERSION_FUNCTIONS } from './conversionFunctions.js';
import type { FunctionImpl } from './functionTypes.js';
import { HISTOGRAM_FUNCTIONS } from './histogramFunctions.js';
import { LABEL_FUNCTIONS } from './labelFunctions.js';
import { MATH_FUNCTIONS } from './mathFunctions.js';
import { OVER_TIME_FUNCTIONS } from './overTimeFunctions.js';
import { RANGE_FUNCTIONS } from './rangeFunctions.js';
import { TIME_FUNCTIONS } from './timeFunctions.js';

export type { CallContext, FunctionImpl } from './functionTypes.js';
export type { PassWindows, RangeFunction, RangeFunctionImpl, StepColumnOut } from './rangeFunctionTypes.js';
export { RANGE_FUNCTIONS_BY_SERIES } from './rangeFunctionRegistry.js';
export type { EvalValue } from '../values.js';

/**
 * Every PromQL function's implementation by name: the family registries joined. The signatures
 * the parser checks live apart, in query/promql/functions.ts; test/query/functions/registry.test.ts
 * holds both lists to the same names.
 */
export const FUNCTION_IMPLS: ReadonlyMap<string, FunctionImpl> = joinRegistries([
  RANGE_FUNCTIONS,
  OVER_TIME_FUNCTIONS,
  MATH_FUNCTIONS,
  TIME_FUNCTIONS,
  LABEL_FUNCTIONS,
  HISTOGRAM_FUNCTIONS,
  CONVERSION_FUNCTIONS,
]);

function joinRegistries(families: readonly ReadonlyMap<string, FunctionImpl>[]): ReadonlyMap<string, FunctionImpl> {
  const all = new Map<string, FunctionImpl>();
  for (const family of families) {
    for (const [name, impl] of family) {
      // Two families claiming one name would silently shadow each other: fail at load instead.
      if (all.has(name)) throw new Error(`PromQL function ${name} is implemented twice`);
      all.set(name, impl);
    }
  }
  return all;
}
