/** One scored point: how anomalous it looks, and the band the detector expected it in. */
export interface AnomalyResult {
  /** 0 = normal, 1 = certainly anomalous. */
  score: number;
  /** Expected band for dynamic-threshold charts; NaN while the detector is still learning. */
  lower: number;
  upper: number;
}

/**
 * The per-series streaming contract. Points arrive strictly in time order; a point whose timestamp
 * is not after the previous one is ignored (score 0). NaN/±Infinity values are treated as missing.
 * Memory is bounded by the configuration, never by the length of the series.
 */
export interface StreamingDetector {
  readonly kind: string;
  update(timestampMs: number, value: number): AnomalyResult;
  /** A JSON-safe snapshot (see state.ts) from which restoreDetector() resumes bit-identically. */
  snapshot(): DetectorSnapshot;
}

/** Plain data only: numbers, strings, booleans, arrays and objects of them. */
export type StateValue = number | string | boolean | null | StateValue[] | { [key: string]: StateValue };

export interface DetectorSnapshot {
  kind: string;
  config: { [key: string]: StateValue };
  state: { [key: string]: StateValue };
}

/**
 * What a detector implements: it sees only finite values at a regular cadence. Ordering, missing
 * points, gaps, counters and non-finite values are handled once, by the guard in stream.ts.
 */
export interface DetectorCore {
  readonly kind: string;
  /**
   * Score a finite value and learn from it. Writes into `out` to avoid an allocation per point.
   * `timestampMs` is strictly increasing; detectors whose memories are set in time use it, the
   * others may ignore it and count points.
   */
  observe(value: number, out: AnomalyResult, timestampMs: number): void;
  /** A cadence slot passed without a value (gap or NaN): advance phase, learn nothing. */
  skip(): void;
  config(): { [key: string]: StateValue };
  state(): { [key: string]: StateValue };
}
