import { extrapolatedRateOf } from './extrapolatedRate.js';
import { kahanSumInc } from './kahanSum.js';
import type { WindowKernel } from './rangeFunctionTypes.js';

/**
 * The window kernels of rangeFunctions.ts over columns (points lo..hi-1 of one series, hi > lo),
 * for the per-series path: each mirrors the per-step function of the same name operation for
 * operation, so that results agree to the last digit.
 */

export function rateKernel(isCounter: boolean, isRate: boolean): WindowKernel {
  return (t, v, lo, hi, startMs, endMs) => extrapolatedRateOf(t, v, lo, hi, startMs, endMs, isCounter, isRate);
}

/** irate/idelta: the last two points only (see instantValue in rangeFunctions.ts). */
export function instantValueKernel(isRate: boolean): WindowKernel {
  return (t, v, lo, hi) => {
    if (hi - lo < 2) return undefined;
    const last = v[hi - 1] as number;
    const previous = v[hi - 2] as number;
    const value = isRate && last < previous ? last : last - previous;
    const intervalMs = (t[hi - 1] as number) - (t[hi - 2] as number);
    if (intervalMs === 0) return undefined;
    return isRate ? value / (intervalMs / 1000) : value;
  };
}

/** deriv: the regression slope with x relative to the first point (see linearRegression in rangeFunctions.ts). */
export const derivKernel: WindowKernel = (t, v, lo, hi) => {
  if (hi - lo < 2) return undefined;
  const interceptTimeMs = t[lo] as number;
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = v[lo] as number;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = v[i] as number;
    if (constY && y !== initY) constY = false;
    n += 1;
    const x = ((t[i] as number) - interceptTimeMs) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(y, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) return !Number.isFinite(initY) && !Number.isNaN(initY) ? NaN : 0;
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  return covXY / varX;
};

/** changes: how often the value differs from the previous one (NaN followed by NaN is no change). */
export const changesKernel: WindowKernel = (_t, v, lo, hi) => {
  let count = 0;
  for (let i = lo + 1; i < hi; i++) {
    const prev = v[i - 1] as number;
    const cur = v[i] as number;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) count++;
  }
  return count;
};

/** resets: how often the value drops. */
export const resetsKernel: WindowKernel = (_t, v, lo, hi) => {
  let count = 0;
  for (let i = lo + 1; i < hi; i++) if ((v[i] as number) < (v[i - 1] as number)) count++;
  return count;
};
