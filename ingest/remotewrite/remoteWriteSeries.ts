import type { Labels, MetricType, Sample } from '../../core/index.js';
import { formatSeries } from '../../core/index.js';
import type { Rejections } from '../pipeline/rejections.js';
import type { ProtoReader } from './protoReader.js';
import { WIRE_I64, WIRE_VARINT } from './protoReader.js';

/**
 * What remote write 1.0 and 2.0 decode alike: their Sample message, MetricType enum, how a label
 * lands in a label object, and which series are refused.
 */

/** MetricMetadata.MetricType (1.0) and Metadata.MetricType (2.0) by number. */
export const METRIC_TYPES: readonly MetricType[] = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

/** Reads one length-delimited `Sample { double value = 1; int64 timestamp = 2; }` at `r.pos`. */
export function readSample(r: ProtoReader): Sample {
  const outer = r.limit;
  const sampleEnd = r.lengthEnd();
  let v = 0;
  let t = 0;
  r.limit = sampleEnd;
  while (r.pos < sampleEnd) {
    const f = r.uint32();
    if (f === ((1 << 3) | WIRE_I64)) v = r.double();
    else if (f === ((2 << 3) | WIRE_VARINT)) t = r.int64();
    else r.skip(f & 7);
  }
  r.limit = outer;
  return { t, v };
}

/**
 * Sets one label unless its value is empty (Prometheus treats that as absent). Returns the name
 * when the series already had it, so that the caller can refuse the series.
 */
export function setLabel(labels: Record<string, string>, name: string, value: string): string | undefined {
  if (value === '') return undefined;
  const repeated = Object.hasOwn(labels, name) ? name : undefined;
  // A plain assignment to "__proto__" would set the prototype (or nothing), not a label.
  if (name === '__proto__') Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  else labels[name] = value;
  return repeated;
}

/**
 * Counts what of one decoded series cannot be stored (a repeated label name: all of it; native
 * histograms: those) and returns what is left to store, if anything.
 */
export function storableSeries(
  labels: Record<string, string>,
  samples: Sample[],
  histograms: number,
  duplicate: string | undefined,
  rejections: Rejections,
): { labels: Labels; samples: Sample[] } | undefined {
  if (duplicate !== undefined) {
    // Only the first rejection per reason keeps its message: skip formatting the series for the rest.
    const message = rejections.hasMessage('samples', 'invalid_labels') ? '' : `${formatSeries(labels)}: label name ${JSON.stringify(duplicate)} repeated`;
    rejections.add('samples', 'invalid_labels', samples.length + histograms, message);
    return undefined;
  }
  if (histograms > 0) {
    const message = rejections.hasMessage('samples', 'unsupported') ? '' : `${formatSeries(labels)}: native histograms are not supported yet (send classic histograms: _bucket/_sum/_count)`;
    rejections.add('samples', 'unsupported', histograms, message);
  }
  // A series with only histograms (or nothing) has nothing left to store.
  if (samples.length === 0) return undefined;
  return { labels: labels as Labels, samples };
}
