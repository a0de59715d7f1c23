import type { Labels, SampleColumns } from '../../core/index.js';
import { sampleColumnsLabels } from '../../core/index.js';

/** What filterSampleColumns kept, and what it dropped. */
export interface FilteredColumns {
  readonly kept: SampleColumns;
  readonly droppedSeries: number;
  readonly droppedSamples: number;
  /** Labels of the first dropped series (for an error message); undefined when none was dropped. */
  readonly firstDropped: Labels | undefined;
}

/**
 * The columns with only the series whose `keep[i]` is non-zero, samples and label references
 * copied in order. The symbol table and pairs are shared unchanged (a pair no kept series uses is
 * harmless: references stay in range), so no string is copied.
 */
export function filterSampleColumns(cols: SampleColumns, keep: Uint8Array): FilteredColumns {
  const n = cols.counts.length;
  let keptSeries = 0;
  let keptLabels = 0;
  let keptSamples = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) continue;
    keptSeries++;
    keptLabels += cols.pairCounts[i] as number;
    keptSamples += cols.counts[i] as number;
  }
  const seriesPairs = new Uint32Array(keptLabels);
  const pairCounts = new Uint32Array(keptSeries);
  const counts = new Uint32Array(keptSeries);
  const t = new Float64Array(keptSamples);
  const v = new Float64Array(keptSamples);
  let firstDropped: Labels | undefined;
  let p = 0; // next label reference of series i in cols
  let k = 0; // next sample of series i in cols
  let s = 0;
  let outP = 0;
  let outK = 0;
  for (let i = 0; i < n; i++) {
    const labels = cols.pairCounts[i] as number;
    const samples = cols.counts[i] as number;
    if (keep[i] !== 0) {
      seriesPairs.set(cols.seriesPairs.subarray(p, p + labels), outP);
      t.set(cols.t.subarray(k, k + samples), outK);
      v.set(cols.v.subarray(k, k + samples), outK);
      pairCounts[s] = labels;
      counts[s] = samples;
      s++;
      outP += labels;
      outK += samples;
    } else {
      firstDropped ??= sampleColumnsLabels(cols, p, p + labels);
    }
    p += labels;
    k += samples;
  }
  const kept: SampleColumns = { symbols: cols.symbols, pairs: cols.pairs, seriesPairs, pairCounts, counts, t, v };
  return { kept, droppedSeries: n - keptSeries, droppedSamples: k - keptSamples, firstDropped };
}
