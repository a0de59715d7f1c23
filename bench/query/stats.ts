/* Small figures helpers: medians, and the units the table prints. */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

export interface Timing {
  readonly p50: number;
  readonly min: number;
}

export function timingOf(ms: readonly number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor((s.length - 1) / 2)] ?? NaN, min: s[0] ?? NaN };
}

/**
 * A full GC before a memory reading, so the baseline does not carry the previous query's
 * garbage. --expose-gc cannot be passed through `tsx` portably; the flag can be set at run time.
 */
setFlagsFromString('--expose-gc');
const gcFn = runInNewContext('gc') as () => void;
export function collectGarbage(): void {
  gcFn();
}

export const ms = (x: number): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—');
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');
export const count = (n: number): string => n.toLocaleString('en-US');
