import { VigilError } from './errors.js';
import { labelPairLanes, METRIC_NAME, seriesIdFromLanes } from './labels.js';
import type { Labels, SampleColumns, TimeSeries } from './model.js';

/** Pair keys are name symbol × 2^26 + value symbol, exact in a double while symbols stay below 2^26. */
const MAX_SYMBOLS = 67_108_864;

/**
 * Builds SampleColumns from series objects, interning every label name, value and pair once.
 * This runs where requests are decoded (the ingest workers), so that the bus carries a compact
 * batch and the writer never rebuilds label objects for series the store already knows.
 */
export function toSampleColumns(series: readonly TimeSeries[]): SampleColumns {
  const symbols: string[] = [];
  const symbolIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = symbolIndex.get(s);
    if (i === undefined) {
      i = symbols.length;
      if (i === MAX_SYMBOLS) throw new VigilError('bad_data', `a batch holds more than ${MAX_SYMBOLS} distinct label names and values`);
      symbols.push(s);
      symbolIndex.set(s, i);
    }
    return i;
  };
  const pairIndex = new Map<number, number>();
  let pairs = new Uint32Array(256);
  let pairCount = 0;
  let labelTotal = 0;
  let sampleTotal = 0;
  for (const s of series) {
    for (const _ in s.labels) labelTotal++;
    sampleTotal += s.samples.length;
  }
  const seriesPairs = new Uint32Array(labelTotal);
  const pairCounts = new Uint32Array(series.length);
  const counts = new Uint32Array(series.length);
  const t = new Float64Array(sampleTotal);
  const v = new Float64Array(sampleTotal);
  let p = 0;
  let k = 0;
  for (let i = 0; i < series.length; i++) {
    const { labels, samples } = series[i] as TimeSeries;
    let n = 0;
    for (const name in labels) {
      const a = intern(name);
      const b = intern(labels[name] as string);
      const key = a * MAX_SYMBOLS + b;
      let pair = pairIndex.get(key);
      if (pair === undefined) {
        pair = pairCount++;
        if (pair * 2 + 2 > pairs.length) {
          const grown = new Uint32Array(pairs.length * 2);
          grown.set(pairs);
          pairs = grown;
        }
        pairs[pair * 2] = a;
        pairs[pair * 2 + 1] = b;
        pairIndex.set(key, pair);
      }
      seriesPairs[p++] = pair;
      n++;
    }
    pairCounts[i] = n;
    counts[i] = samples.length;
    for (const sample of samples) {
      t[k] = sample.t;
      v[k] = sample.v;
      k++;
    }
  }
  return { symbols, pairs: pairs.slice(0, pairCount * 2), seriesPairs, pairCounts, counts, t, v };
}

/**
 * Checks that `cols` is internally consistent, as data from a bus or a peer must be before it is
 * used: lengths agree, every reference is in range, symbols are distinct strings, no series
 * repeats a label name, every series has a non-empty metric name. Throws VigilError('bad_data').
 * Returns where each series' pairs start in seriesPairs (pairStart[i]; pairStart[n] = the end).
 */
export function checkSampleColumns(cols: SampleColumns): Uint32Array {
  const { symbols, pairs, seriesPairs, pairCounts, counts, t, v } = cols;
  const n = counts.length;
  if (pairCounts.length !== n) throw new VigilError('bad_data', `sample columns count labels for ${pairCounts.length} series but samples for ${n}`);
  const distinct = new Set<string>();
  for (const s of symbols) {
    if (typeof s !== 'string') throw new VigilError('bad_data', `sample columns hold a ${typeof s} symbol, expected strings`);
    distinct.add(s);
  }
  if (distinct.size !== symbols.length) throw new VigilError('bad_data', 'sample columns repeat a symbol');
  if (pairs.length % 2 !== 0) throw new VigilError('bad_data', 'sample columns hold a label pair without a value');
  const pairTotal = pairs.length / 2;
  for (let i = 0; i < pairs.length; i++) {
    if ((pairs[i] as number) >= symbols.length) throw new VigilError('bad_data', `label pair ${i >> 1} refers to symbol ${pairs[i]} of ${symbols.length}`);
  }
  const pairStart = new Uint32Array(n + 1);
  let labelTotal = 0;
  let sampleTotal = 0;
  for (let i = 0; i < n; i++) {
    pairStart[i] = labelTotal;
    labelTotal += pairCounts[i] as number;
    sampleTotal += counts[i] as number;
  }
  pairStart[n] = labelTotal;
  if (seriesPairs.length !== labelTotal) throw new VigilError('bad_data', `sample columns hold ${seriesPairs.length} series labels, expected ${labelTotal}`);
  if (t.length !== sampleTotal || v.length !== sampleTotal) throw new VigilError('bad_data', `sample columns hold ${t.length} times and ${v.length} values for ${sampleTotal} samples`);
  const nameSymbol = symbols.indexOf(METRIC_NAME);
  for (let i = 0; i < n; i++) {
    let named = false;
    const from = pairStart[i] as number;
    const to = pairStart[i + 1] as number;
    for (let j = from; j < to; j++) {
      const pair = seriesPairs[j] as number;
      if (pair >= pairTotal) throw new VigilError('bad_data', `series ${i} refers to label pair ${pair} of ${pairTotal}`);
      const name = pairs[pair * 2] as number;
      for (let q = from; q < j; q++) {
        if (pairs[(seriesPairs[q] as number) * 2] === name) throw new VigilError('bad_data', `series ${i} has label ${symbols[name]} twice`);
      }
      if (name === nameSymbol && (symbols[pairs[pair * 2 + 1] as number] as string).length > 0) named = true;
    }
    if (!named) throw new VigilError('bad_data', `series ${i} has no metric name (__name__ label)`);
  }
  for (let k = 0; k < sampleTotal; k++) {
    if (!Number.isSafeInteger(t[k])) throw new VigilError('bad_data', `sample ${k} has timestamp ${String(t[k])}: expected an integer in milliseconds`);
  }
  return pairStart;
}

/** seriesId() of every series in `cols`, hashing each distinct pair once. Expects checked columns. */
export function sampleColumnsSeriesIds(cols: SampleColumns, pairStart: Uint32Array): bigint[] {
  const { symbols, pairs, seriesPairs } = cols;
  const lanes = new Int32Array(pairs.length);
  for (let p = 0; p < pairs.length; p += 2) labelPairLanes(symbols[pairs[p] as number] as string, symbols[pairs[p + 1] as number] as string, lanes, p);
  const n = cols.counts.length;
  const ids = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    let sum1 = 0;
    let sum2 = 0;
    const from = pairStart[i] as number;
    const to = pairStart[i + 1] as number;
    for (let j = from; j < to; j++) {
      const at = (seriesPairs[j] as number) * 2;
      sum1 = (sum1 + (lanes[at] as number)) | 0;
      sum2 = (sum2 + (lanes[at + 1] as number)) | 0;
    }
    ids[i] = seriesIdFromLanes(sum1, sum2, to - from);
  }
  return ids;
}

/** The label set of series i (pairs from pairStart[i] to pairStart[i + 1]). */
export function sampleColumnsLabels(cols: SampleColumns, from: number, to: number): Labels {
  const labels: Record<string, string> = {};
  for (let j = from; j < to; j++) {
    const at = (cols.seriesPairs[j] as number) * 2;
    labels[cols.symbols[cols.pairs[at] as number] as string] = cols.symbols[cols.pairs[at + 1] as number] as string;
  }
  return labels;
}

/** The columns back as series objects (tests, tools, the v1 → v2 path of the bus codec's callers). */
export function fromSampleColumns(cols: SampleColumns): TimeSeries[] {
  const out: TimeSeries[] = [];
  let p = 0;
  let k = 0;
  for (let i = 0; i < cols.counts.length; i++) {
    const labelCount = cols.pairCounts[i] as number;
    const labels = sampleColumnsLabels(cols, p, p + labelCount);
    p += labelCount;
    const n = cols.counts[i] as number;
    const samples = new Array<{ t: number; v: number }>(n);
    for (let j = 0; j < n; j++, k++) samples[j] = { t: cols.t[k] as number, v: cols.v[k] as number };
    out.push({ labels, samples });
  }
  return out;
}
