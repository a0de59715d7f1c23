import { averageKernel, countKernel, lastKernel, maximumKernel, minimumKernel, presentKernel, stddevKernel, sumKernel, varianceKernel } from './overTimeKernels.js';
import type { RangeFunction, WindowKernel } from './rangeFunctionTypes.js';
import { slidingWindows } from './rangeFunctionTypes.js';
import { changesKernel, derivKernel, instantValueKernel, rateKernel, resetsKernel } from './rangeKernels.js';

function dropsName(kernel: WindowKernel): RangeFunction {
  return { impl: slidingWindows(kernel), keepsName: false };
}

/**
 * The functions with a per-series implementation (see rangeFunctionTypes.ts): those whose only
 * argument is a range vector. The others (predict_linear, holt_winters, quantile_over_time take
 * a scalar too; absent_over_time looks at all series at once) keep the per-step path, as does
 * every function in FUNCTION_IMPLS, which stays the reference.
 */
export const RANGE_FUNCTIONS_BY_SERIES: ReadonlyMap<string, RangeFunction> = new Map<string, RangeFunction>([
  ['rate', dropsName(rateKernel(true, true))],
  ['increase', dropsName(rateKernel(true, false))],
  ['delta', dropsName(rateKernel(false, false))],
  ['irate', dropsName(instantValueKernel(true))],
  ['idelta', dropsName(instantValueKernel(false))],
  ['deriv', dropsName(derivKernel)],
  ['changes', dropsName(changesKernel)],
  ['resets', dropsName(resetsKernel)],
  ['avg_over_time', dropsName(averageKernel)],
  ['min_over_time', dropsName(minimumKernel)],
  ['max_over_time', dropsName(maximumKernel)],
  ['sum_over_time', dropsName(sumKernel)],
  ['count_over_time', dropsName(countKernel)],
  // The only range function that keeps __name__ in 2.42: it acts like an offset.
  ['last_over_time', { impl: slidingWindows(lastKernel), keepsName: true }],
  ['present_over_time', dropsName(presentKernel)],
  ['stddev_over_time', dropsName(stddevKernel)],
  ['stdvar_over_time', dropsName(varianceKernel)],
]);
