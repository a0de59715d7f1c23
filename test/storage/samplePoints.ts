import type { Sample } from '../../core/index.js';
import type { SeriesSamples } from '../../storage/index.js';

/**
 * A selected series' columns as {t, v} objects, for readable expectations in tests (the store
 * itself never builds them). An absent series has none.
 */
export function points(s: SeriesSamples | undefined): Sample[] {
  if (s === undefined) return [];
  return Array.from(s.timestamps, (t, i) => ({ t, v: s.values[i] as number }));
}

/** The values of a selected series, in time order. */
export function valuesOf(s: SeriesSamples | undefined): number[] {
  return s === undefined ? [] : Array.from(s.values);
}
