import { fft, nextPow2 } from './fft.js';

/**
 * Dominant seasonal period of a series by autocorrelation (Wiener–Khinchin: |FFT|² inverted, zero
 * padded so it is linear, not circular). The period is the lag of the highest ACF local maximum in
 * [minLag, n/2] — two full cycles in view — that clears `minAcf`, preferring the shortest lag among
 * near-best peaks (a period's multiples correlate as well); otherwise 0 (none).
 * Daily and weekly cycles of metrics show up as such peaks; noise and trends do not.
 */
export function detectPeriod(values: ArrayLike<number>, minLag = 4, minAcf = 0.3): number {
  return findPeriod(values, minLag, minAcf).period;
}

/** As detectPeriod, with the autocorrelation at that lag (0 when there is no period). */
export function findPeriod(values: ArrayLike<number>, minLag = 4, minAcf = 0.3): { period: number; acf: number } {
  const n = values.length;
  if (n < 2 * minLag + 2) return { period: 0, acf: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  const size = nextPow2(2 * n);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = (values[i] as number) - mean;
  fft(re, im);
  for (let i = 0; i < size; i++) {
    re[i] = (re[i] as number) ** 2 + (im[i] as number) ** 2;
    im[i] = 0;
  }
  fft(re, im, true);
  const var0 = re[0] as number;
  if (!(var0 > 0)) return { period: 0, acf: 0 };
  const maxLag = Math.floor(n / 2);
  const peaks: [number, number][] = [];
  let bestAcf = minAcf;
  for (let lag = minLag; lag <= maxLag; lag++) {
    const acf = (re[lag] as number) / var0;
    if (acf > (re[lag - 1] as number) / var0 && acf >= (re[lag + 1] as number) / var0 && acf > minAcf) {
      peaks.push([lag, acf]);
      if (acf > bestAcf) bestAcf = acf;
    }
  }
  // Multiples of the true period peak almost as high; the shortest near-best peak is the period.
  // The reported strength is the unbiased ACF (fewer products at longer lags), comparable across lags.
  for (const [lag, acf] of peaks) if (acf >= 0.85 * bestAcf) return { period: lag, acf: Math.min(1, (acf * n) / (n - lag)) };
  return { period: 0, acf: 0 };
}

/** Unbiased autocorrelation of `values` at one lag, O(n): to re-check a known period cheaply. */
export function acfAt(values: ArrayLike<number>, lag: number): number {
  const n = values.length;
  if (lag <= 0 || lag >= n) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let v0 = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    v0 += d * d;
    if (i + lag < n) c += d * ((values[i + lag] as number) - mean);
  }
  return v0 > 0 ? (c / (n - lag)) / (v0 / n) : 0;
}
