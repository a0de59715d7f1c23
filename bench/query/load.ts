/*
 * Loads the generated families into both stores in one pass: each batch of series is appended to
 * Vigil's DuckDB store as SampleColumns (typed arrays, no object per sample) and written as
 * OpenMetrics text for promtool, so the two stores hold the very same samples.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { SampleColumns } from '../../core/index.js';
import type { DuckDbStore } from '../../storage/duckdb/index.js';
import type { Family, GeneratedSeries } from './data.js';

/** Samples per store transaction: large enough to amortize a commit, small enough to bound memory. */
const SAMPLES_PER_COMMIT = 1_000_000;

export interface LoadResult {
  readonly samples: number;
  readonly series: number;
  readonly openMetricsBytes: number;
}

export async function loadFamilies(store: DuckDbStore, tenant: string, fams: readonly Family[], openMetricsPath: string): Promise<LoadResult> {
  const out = createWriteStream(openMetricsPath);
  let samples = 0;
  let series = 0;
  for (const f of fams) {
    let batch: GeneratedSeries[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const a = store.appender();
      a.appendSampleColumns(tenant, columnsOf(batch, f));
      await a.commit();
      await writeOpenMetrics(out, batch, f);
      samples += batch.length * f.points;
      series += batch.length;
      batch = [];
    };
    for (const s of f.series()) {
      batch.push(s);
      if (batch.length * f.points >= SAMPLES_PER_COMMIT) await flush();
    }
    await flush();
  }
  out.end('# EOF\n');
  await once(out, 'close');
  return { samples, series, openMetricsBytes: out.bytesWritten };
}

/** SampleColumns for series that share their timestamps (a family's scrape times). */
function columnsOf(batch: readonly GeneratedSeries[], f: Family): SampleColumns {
  const symbols: string[] = [];
  const symbolIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = symbolIndex.get(s);
    if (i === undefined) {
      i = symbols.length;
      symbols.push(s);
      symbolIndex.set(s, i);
    }
    return i;
  };
  const pairs: number[] = [];
  const pairIndex = new Map<string, number>();
  const seriesPairs: number[] = [];
  const pairCounts = new Uint32Array(batch.length);
  const counts = new Uint32Array(batch.length).fill(f.points);
  const t = new Float64Array(batch.length * f.points);
  const v = new Float64Array(batch.length * f.points);
  for (const [i, s] of batch.entries()) {
    const names = Object.keys(s.labels);
    for (const name of names) {
      const key = `${name}\u0000${s.labels[name]}`;
      let pair = pairIndex.get(key);
      if (pair === undefined) {
        pair = pairs.length / 2;
        pairs.push(intern(name), intern(s.labels[name] as string));
        pairIndex.set(key, pair);
      }
      seriesPairs.push(pair);
    }
    pairCounts[i] = names.length;
    for (let k = 0; k < f.points; k++) t[i * f.points + k] = f.startMs + k * f.intervalMs;
    v.set(s.values, i * f.points);
  }
  return { symbols, pairs: Uint32Array.from(pairs), seriesPairs: Uint32Array.from(seriesPairs), pairCounts, counts, t, v };
}

/**
 * One line per sample, series after series (promtool's backfill only needs each series' samples
 * in time order). No # TYPE lines: Prometheus stores untyped and typed samples alike.
 */
async function writeOpenMetrics(out: WriteStream, batch: readonly GeneratedSeries[], f: Family): Promise<void> {
  for (const s of batch) {
    const { __name__: name, ...rest } = s.labels;
    const prefix = `${name ?? ''}{${Object.entries(rest)
      .map(([k, val]) => `${k}=${JSON.stringify(val)}`)
      .join(',')}} `;
    const lines: string[] = new Array<string>(f.points);
    for (let k = 0; k < f.points; k++) lines[k] = `${prefix}${s.values[k]} ${(f.startMs + k * f.intervalMs) / 1000}`;
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
}
