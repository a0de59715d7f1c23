import { kahanSumInc } from './kahanSum.js';
import type { WindowKernel } from './rangeFunctionTypes.js';

/**
 * The window kernels of overTimeFunctions.ts over columns (points lo..hi-1 of one series,
 * hi > lo), for the per-series path: each mirrors the per-step function operation for
 * operation, so that results agree to the last digit.
 */

function isInfinite(x: number): boolean {
  return x === Infinity || x === -Infinity;
}

/** avg_over_time: the compensated incremental mean (see average in overTimeFunctions.ts). */
export const averageKernel: WindowKernel = (_t, v, lo, hi) => {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) {
    const x = v[i] as number;
    count++;
    if (isInfinite(mean)) {
      if (isInfinite(x) && mean > 0 === x > 0) continue;
      if (Number.isFinite(x)) continue;
    }
    [mean, c] = kahanSumInc(x / count - mean / count, mean, c);
  }
  return isInfinite(mean) ? mean : mean + c;
};

/** min/max skip NaN unless every value is NaN. */
export const minimumKernel: WindowKernel = (_t, v, lo, hi) => {
  let min = v[lo] as number;
  for (let i = lo; i < hi; i++) {
    const x = v[i] as number;
    if (x < min || Number.isNaN(min)) min = x;
  }
  return min;
};

export const maximumKernel: WindowKernel = (_t, v, lo, hi) => {
  let max = v[lo] as number;
  for (let i = lo; i < hi; i++) {
    const x = v[i] as number;
    if (x > max || Number.isNaN(max)) max = x;
  }
  return max;
};

export const sumKernel: WindowKernel = (_t, v, lo, hi) => {
  let total = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) [total, c] = kahanSumInc(v[i] as number, total, c);
  return isInfinite(total) ? total : total + c;
};

export const countKernel: WindowKernel = (_t, _v, lo, hi) => hi - lo;

export const lastKernel: WindowKernel = (_t, v, _lo, hi) => v[hi - 1] as number;

export const presentKernel: WindowKernel = () => 1;

/** Population variance, Welford with compensated sums (see variance in overTimeFunctions.ts). */
export const varianceKernel: WindowKernel = (_t, v, lo, hi) => {
  let count = 0;
  let mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = lo; i < hi; i++) {
    const x = v[i] as number;
    count++;
    const delta = x - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (x - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
};

export const stddevKernel: WindowKernel = (t, v, lo, hi) => Math.sqrt(varianceKernel(t, v, lo, hi, 0, 0) as number);
