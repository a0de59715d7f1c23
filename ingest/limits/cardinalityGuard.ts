import type { Labels, SampleColumns } from '../../core/index.js';
import { labelPairLanes, METRIC_NAME, sampleColumnsLabels, seriesIdWords } from '../../core/index.js';
import { ActiveSeriesTable } from './activeSeriesTable.js';

/** Why the guard refused a new series; also the `reason` of the rejection and of the metrics. */
export type CardinalityReason = 'per_tenant_active_series' | 'per_label_name_values';

/** A new label name's value table starts this small (~0.2 KB) and grows with its values. */
const INITIAL_VALUE_SLOTS = 16;

/**
 * One tenant's cardinality: the series it sent within the window (limits.maxActiveSeries) and,
 * per label name, the distinct values that its new series brought within the window
 * (limits.maxLabelValuesPerName). Values are recorded when a series is admitted as new, not on
 * every sample of a known series: the check costs nothing on the steady path, and what it counts
 * is what an exploding label looks like — new series, each with a new value.
 */
export class TenantCardinality {
  readonly series: ActiveSeriesTable;
  private readonly values = new Map<string, ActiveSeriesTable>();

  constructor(private readonly windowMs: number, initialSeriesSlots: number) {
    this.series = new ActiveSeriesTable(windowMs, initialSeriesSlots);
  }

  /** Label names with a value table (for tests and the operator's curiosity). */
  get labelNames(): number {
    return this.values.size;
  }

  /**
   * Touches every series of a record that is already active; returns the index of the first new
   * one, or -1 when all are known (the common case: nothing else to do for this record).
   */
  touchKnown(words: Uint32Array, from: number, nowMs: number): number {
    const n = words.length / 2;
    for (let i = from; i < n; i++) {
      if (!this.series.touchIfKnown(words[2 * i] as number, words[2 * i + 1] as number, nowMs)) return i;
    }
    return -1;
  }

  /**
   * Admits new series i of `cols` (id words at 2i of `words`) under the limits, or says which
   * refused it; `label` names the label whose values are full. `pairHashes` caches one hash per
   * label pair of the record (two words per pair, filled on first use; `computed` marks them).
   */
  admitNew(cols: SampleColumns, i: number, seriesPairStart: number, words: Uint32Array, limits: { maxActiveSeries: number; maxLabelValuesPerName: number }, nowMs: number, hashes: PairHashes): { reason: CardinalityReason; label?: string } | undefined {
    const count = cols.pairCounts[i] as number;
    const valuesLimit = limits.maxLabelValuesPerName;
    if (valuesLimit > 0) {
      for (let j = seriesPairStart; j < seriesPairStart + count; j++) {
        const pair = cols.seriesPairs[j] as number;
        const name = cols.symbols[cols.pairs[2 * pair] as number] as string;
        const table = this.values.get(name);
        if (table === undefined) continue; // a first value always fits (limit ≥ 1)
        const at = hashes.of(cols, pair);
        if (!table.has(hashes.words[at] as number, hashes.words[at + 1] as number) && !table.hasRoom(nowMs, valuesLimit)) return { reason: 'per_label_name_values', label: name };
      }
    }
    if (!this.series.touch(words[2 * i] as number, words[2 * i + 1] as number, nowMs, limits.maxActiveSeries)) return { reason: 'per_tenant_active_series' };
    if (valuesLimit > 0) {
      for (let j = seriesPairStart; j < seriesPairStart + count; j++) {
        const pair = cols.seriesPairs[j] as number;
        const name = cols.symbols[cols.pairs[2 * pair] as number] as string;
        let table = this.values.get(name);
        if (table === undefined) {
          table = new ActiveSeriesTable(this.windowMs, INITIAL_VALUE_SLOTS);
          this.values.set(name, table);
        }
        const at = hashes.of(cols, pair);
        table.touch(hashes.words[at] as number, hashes.words[at + 1] as number, nowMs);
      }
    }
    return undefined;
  }
}

/** A hash per label pair of one record, computed on first use: the key of the pair's value in its name's table. */
export class PairHashes {
  readonly words: Uint32Array;
  private readonly done: Uint8Array;
  private readonly lanes = new Int32Array(2);

  constructor(pairCount: number) {
    this.words = new Uint32Array(pairCount * 2);
    this.done = new Uint8Array(pairCount);
  }

  /** The offset in `words` of pair `pair`'s hash. */
  of(cols: SampleColumns, pair: number): number {
    if (this.done[pair] === 0) {
      labelPairLanes(cols.symbols[cols.pairs[2 * pair] as number] as string, cols.symbols[cols.pairs[2 * pair + 1] as number] as string, this.lanes, 0);
      seriesIdWords(this.lanes[0] as number, this.lanes[1] as number, 1, this.words, 2 * pair);
      this.done[pair] = 1;
    }
    return 2 * pair;
  }
}

/** Most metric names one refusal message lists. */
const SHOWN_METRICS = 5;

/** What the guard refused in one request, per reason: for the response, the rejections and the metrics. */
export class CardinalityRefusals {
  readonly byReason = new Map<CardinalityReason, { series: number; samples: number; example: Labels; label?: string; byMetric: Map<string, number> }>();

  add(reason: CardinalityReason, cols: SampleColumns, seriesPairStart: number, i: number, label: string | undefined): void {
    const samples = cols.counts[i] as number;
    let entry = this.byReason.get(reason);
    if (entry === undefined) {
      const example = sampleColumnsLabels(cols, seriesPairStart, seriesPairStart + (cols.pairCounts[i] as number));
      entry = { series: 0, samples: 0, example, byMetric: new Map() };
      if (label !== undefined) entry.label = label;
      this.byReason.set(reason, entry);
    }
    entry.series += 1;
    entry.samples += samples;
    const metric = metricNameOf(cols, seriesPairStart, cols.pairCounts[i] as number);
    entry.byMetric.set(metric, (entry.byMetric.get(metric) ?? 0) + samples);
  }

  /** "a (12 samples), b (3 samples)": the metric names that lost the most samples, most first. */
  static topMetrics(byMetric: ReadonlyMap<string, number>): string {
    const top = [...byMetric].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = top.slice(0, SHOWN_METRICS).map(([m, n]) => `${m} (${n} samples)`);
    if (top.length > SHOWN_METRICS) shown.push(`${top.length - SHOWN_METRICS} more`);
    return shown.join(', ');
  }
}

function metricNameOf(cols: SampleColumns, from: number, count: number): string {
  for (let j = from; j < from + count; j++) {
    const pair = cols.seriesPairs[j] as number;
    if (cols.symbols[cols.pairs[2 * pair] as number] === METRIC_NAME) return cols.symbols[cols.pairs[2 * pair + 1] as number] as string;
  }
  return '';
}
