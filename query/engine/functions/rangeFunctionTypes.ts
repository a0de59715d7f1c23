/**
 * The per-series contract of range-vector functions, next to the per-step FunctionImpl: for a
 * call whose only argument is a range vector (rate(x[5m]), max_over_time(y[1h:1m]), …), the
 * evaluator hands each series' columns once with every step's window, and the function fills in
 * that series' result at every step. This is Prometheus' own loop (series outside, steps
 * inside), and it lets a function walk each window with cursors instead of receiving a copy of
 * the window's points per step. Results must equal the FunctionImpl of the same name (the
 * equivalence test holds both to it).
 */

/** The closed window [startMs[i], endMs[i]] of each step i of a pass (offset and `@` applied). Windows never move back. */
export interface PassWindows {
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
}

/** One series' result over a pass: `values[i]` counts where `present[i]` is 1 (NaN is a legal result). Zeroed on entry. */
export interface StepColumnOut {
  readonly values: Float64Array;
  readonly present: Uint8Array;
}

/**
 * A range function over one series (timestamps ascending, staleness markers already removed)
 * for every step of a pass. It leaves `present[i]` at 0 where Prometheus gives no output (no
 * point in the window, or too few for the function).
 */
export type RangeFunctionImpl = (timestamps: Float64Array, values: Float64Array, windows: PassWindows, out: StepColumnOut) => void;

/** A range function as registered: the implementation and whether its output keeps `__name__` (only last_over_time in 2.42). */
export interface RangeFunction {
  readonly impl: RangeFunctionImpl;
  readonly keepsName: boolean;
}

/**
 * The value of a function over the points lo..hi-1 (hi > lo: never called for an empty window)
 * of one series, whose window is [startMs, endMs]; undefined for no output.
 */
export type WindowKernel = (t: Float64Array, v: Float64Array, lo: number, hi: number, startMs: number, endMs: number) => number | undefined;

/**
 * A RangeFunctionImpl from a kernel that looks at one window at a time: two cursors move
 * forward through the series as the windows do, so a pass costs one walk over the series plus
 * the kernel's work per window, and nothing is allocated.
 */
export function slidingWindows(kernel: WindowKernel): RangeFunctionImpl {
  return (t, v, windows, out) => {
    const steps = windows.startMs.length;
    let lo = 0;
    let hi = 0;
    let lastStart = -Infinity;
    for (let i = 0; i < steps; i++) {
      const startMs = windows.startMs[i] as number;
      const endMs = windows.endMs[i] as number;
      // Windows only move forward within a pass; should one move back, start the cursors over (as WindowSlicer does).
      if (startMs < lastStart) lo = hi = 0;
      lastStart = startMs;
      while (lo < t.length && (t[lo] as number) < startMs) lo++;
      if (hi < lo) hi = lo;
      while (hi < t.length && (t[hi] as number) <= endMs) hi++;
      if (hi === lo) continue;
      const result = kernel(t, v, lo, hi, startMs, endMs);
      if (result === undefined) continue;
      out.values[i] = result;
      out.present[i] = 1;
    }
  };
}
