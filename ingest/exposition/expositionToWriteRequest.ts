import type { Labels, TimeSeries, WriteRequest } from '../../core/index.js';
import type { ParsedExposition } from './parseExposition.js';

export interface ExpositionWriteOptions {
  readonly tenant: string;
  /** The timestamp of samples that carry none (milliseconds). */
  readonly nowMs: number;
  /** Labels set on every series, replacing a label of the same name (VictoriaMetrics' extra_label). */
  readonly extraLabels?: Labels;
}

/** One series per parsed sample, with its metadata, for the push pipeline. */
export function expositionToWriteRequest(parsed: ParsedExposition, options: ExpositionWriteOptions): WriteRequest {
  const extra = options.extraLabels ?? {};
  const hasExtra = Object.keys(extra).length > 0;
  const series: TimeSeries[] = new Array<TimeSeries>(parsed.samples.length);
  for (let i = 0; i < parsed.samples.length; i++) {
    const s = parsed.samples[i] as (typeof parsed.samples)[number];
    const labels = hasExtra ? Object.assign(s.labels, extra) : s.labels;
    series[i] = { labels, samples: [{ t: s.timestampMs ?? options.nowMs, v: s.value }] };
  }
  return { tenant: options.tenant, series, metadata: parsed.metadata, logs: [], events: [] };
}
