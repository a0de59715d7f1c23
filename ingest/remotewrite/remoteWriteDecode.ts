import type { MetricMetadata, Sample, TimeSeries } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { Rejections } from '../pipeline/rejections.js';
import { ProtoError, ProtoReader, WIRE_LEN, WIRE_VARINT } from './protoReader.js';
import { METRIC_TYPES, readSample, setLabel, storableSeries } from './remoteWriteSeries.js';

/**
 * What a Prometheus remote-write 1.0 `prometheus.WriteRequest` carries that Vigil keeps.
 *
 *   WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2;
 *                    repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 *   Label          { string name = 1; string value = 2; }
 *   Sample         { double value = 1; int64 timestamp = 2; }
 *   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 *
 * (prompb/types.proto and remote.proto of Prometheus 2.42.)
 */
export interface DecodedRemoteWrite {
  readonly series: TimeSeries[];
  readonly metadata: MetricMetadata[];
}

/** Where the decoder is, for the message of a 400: `timeseries[3].samples[1]`. */
class Position {
  series = -1;
  field = '';
  index = -1;
  metadata = -1;

  describe(): string {
    if (this.metadata >= 0) return `metadata[${this.metadata}]`;
    if (this.series < 0) return 'WriteRequest';
    const inner = this.field === '' ? '' : `.${this.field}${this.index >= 0 ? `[${this.index}]` : ''}`;
    return `timeseries[${this.series}]${inner}`;
  }
}

/**
 * Decodes an uncompressed remote-write 1.0 body with a hand-written reader (no generated message
 * objects): labels straight into a label object, samples straight into {t, v}. Throws VigilError
 * 'bad_data' naming the field for bytes that are not a WriteRequest. What is readable but not
 * storable is counted in `rejections` with a message naming the series: native histograms (not
 * supported yet) and series repeating a label name. Empty label values are dropped, as
 * Prometheus treats them as absent; exemplars are skipped.
 */
export function decodeRemoteWrite(body: Buffer, rejections: Rejections): DecodedRemoteWrite {
  const r = new ProtoReader(body);
  const at = new Position();
  const series: TimeSeries[] = [];
  const metadata: MetricMetadata[] = [];
  try {
    while (r.pos < r.limit) {
      const tag = r.uint32();
      if (tag === ((1 << 3) | WIRE_LEN)) {
        at.series++;
        const s = readTimeSeries(r, at, rejections);
        if (s !== undefined) series.push(s);
        at.field = '';
        at.index = -1;
      } else if (tag === ((3 << 3) | WIRE_LEN)) {
        at.metadata = metadata.length;
        const m = readMetadata(r);
        if (m !== undefined) metadata.push(m);
        at.metadata = -1;
      } else {
        r.skip(tag & 7);
      }
    }
  } catch (err) {
    if (err instanceof ProtoError || err instanceof RangeError) {
      throw new VigilError('bad_data', `malformed remote-write protobuf at ${at.describe()}: ${err.message}`);
    }
    throw err;
  }
  return { series, metadata };
}

function readTimeSeries(r: ProtoReader, at: Position, rejections: Rejections): TimeSeries | undefined {
  const end = r.lengthEnd();
  const outer = r.limit;
  r.limit = end;
  const labels: Record<string, string> = {};
  const samples: Sample[] = [];
  let labelCount = 0;
  let duplicate: string | undefined;
  let histograms = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | WIRE_LEN: {
        at.field = 'labels';
        at.index = labelCount++;
        const labelEnd = r.lengthEnd();
        let name = '';
        let value = '';
        r.limit = labelEnd;
        while (r.pos < labelEnd) {
          const t = r.uint32();
          if (t === ((1 << 3) | WIRE_LEN)) name = r.string();
          else if (t === ((2 << 3) | WIRE_LEN)) value = r.string();
          else r.skip(t & 7);
        }
        r.limit = end;
        const repeated = setLabel(labels, name, value);
        duplicate ??= repeated;
        break;
      }
      case (2 << 3) | WIRE_LEN: {
        at.field = 'samples';
        at.index = samples.length;
        samples.push(readSample(r));
        break;
      }
      case (4 << 3) | WIRE_LEN:
        at.field = 'histograms';
        at.index = histograms++;
        r.skip(WIRE_LEN);
        break;
      default:
        at.field = '';
        at.index = -1;
        r.skip(tag & 7);
    }
  }
  r.limit = outer;
  return storableSeries(labels, samples, histograms, duplicate, rejections);
}

function readMetadata(r: ProtoReader): MetricMetadata | undefined {
  const end = r.lengthEnd();
  const outer = r.limit;
  r.limit = end;
  let type = 0;
  let metricFamilyName = '';
  let help = '';
  let unit = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_VARINT)) type = r.uint32();
    else if (tag === ((2 << 3) | WIRE_LEN)) metricFamilyName = r.string();
    else if (tag === ((4 << 3) | WIRE_LEN)) help = r.string();
    else if (tag === ((5 << 3) | WIRE_LEN)) unit = r.string();
    else r.skip(tag & 7);
  }
  r.limit = outer;
  // Metadata is advisory: an entry Vigil cannot use (no name, a type it does not know) is skipped.
  const known = METRIC_TYPES[type];
  if (metricFamilyName === '' || known === undefined) return undefined;
  return { metricFamilyName, type: known, unit, help };
}
