import type { MetricMetadata, Sample, TimeSeries } from '../../core/index.js';
import { METRIC_NAME, VigilError } from '../../core/index.js';
import type { Rejections } from '../pipeline/rejections.js';
import type { DecodedRemoteWrite } from './remoteWriteDecode.js';
import { ProtoError, ProtoReader, WIRE_LEN, WIRE_VARINT } from './protoReader.js';
import { METRIC_TYPES, readSample, setLabel, storableSeries } from './remoteWriteSeries.js';

/**
 * Remote write 2.0's `io.prometheus.write.v2.Request`: strings once in a symbol table, series
 * naming them by index, metadata per series.
 *
 *   Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 *   TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated Histogram histograms = 3;
 *                repeated Exemplar exemplars = 4; Metadata metadata = 5; int64 created_timestamp = 6; }
 *   Sample     { double value = 1; int64 timestamp = 2; }
 *   Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 */

/** Where the decoder is, for the message of a 400. */
class Position {
  series = -1;
  field = '';

  describe(): string {
    if (this.series < 0) return 'Request';
    return `timeseries[${this.series}]${this.field === '' ? '' : `.${this.field}`}`;
  }
}

/**
 * Decodes an uncompressed remote-write 2.0 body into the same series and metadata as 1.0
 * (decodeRemoteWrite): the symbol table is read first wherever it sits in the body, then every
 * series resolves its label references against it. A reference past the table, an odd number of
 * references or a table not starting with "" is a 400 naming the series. Histograms are refused
 * as unsupported (counted per histogram sample), exemplars and created timestamps skipped;
 * metadata is kept once per metric name.
 */
export function decodeRemoteWriteV2(body: Buffer, rejections: Rejections): DecodedRemoteWrite {
  const r = new ProtoReader(body);
  const at = new Position();
  const series: TimeSeries[] = [];
  const metadata = new Map<string, MetricMetadata>();
  try {
    const symbols: string[] = [];
    while (r.pos < r.limit) {
      const tag = r.uint32();
      if (tag === ((4 << 3) | WIRE_LEN)) symbols.push(r.string());
      else r.skip(tag & 7);
    }
    if (symbols.length > 0 && symbols[0] !== '') throw new ProtoError(`symbols[0] must be the empty string, got ${JSON.stringify(symbols[0]?.slice(0, 40))}`);
    r.pos = 0;
    while (r.pos < r.limit) {
      const tag = r.uint32();
      if (tag === ((5 << 3) | WIRE_LEN)) {
        at.series++;
        at.field = '';
        readTimeSeries(r, symbols, at, rejections, series, metadata);
      } else r.skip(tag & 7);
    }
  } catch (err) {
    if (err instanceof ProtoError || err instanceof RangeError) {
      throw new VigilError('bad_data', `malformed remote-write 2.0 protobuf at ${at.describe()}: ${err.message}`);
    }
    throw err;
  }
  return { series, metadata: [...metadata.values()] };
}

function readTimeSeries(r: ProtoReader, symbols: readonly string[], at: Position, rejections: Rejections, out: TimeSeries[], metadata: Map<string, MetricMetadata>): void {
  const end = r.lengthEnd();
  const outer = r.limit;
  r.limit = end;
  const refs: number[] = [];
  const samples: Sample[] = [];
  let histograms = 0;
  let meta: { type: number; help: number; unit: number } | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | WIRE_LEN: {
        at.field = 'labels_refs';
        const refsEnd = r.lengthEnd();
        r.limit = refsEnd;
        while (r.pos < refsEnd) refs.push(r.uint32());
        r.limit = end;
        break;
      }
      case (1 << 3) | WIRE_VARINT:
        at.field = 'labels_refs';
        refs.push(r.uint32());
        break;
      case (2 << 3) | WIRE_LEN: {
        at.field = `samples[${samples.length}]`;
        samples.push(readSample(r));
        break;
      }
      case (3 << 3) | WIRE_LEN:
        at.field = `histograms[${histograms}]`;
        histograms++;
        r.skip(WIRE_LEN);
        break;
      case (5 << 3) | WIRE_LEN: {
        at.field = 'metadata';
        const metaEnd = r.lengthEnd();
        meta = { type: 0, help: 0, unit: 0 };
        r.limit = metaEnd;
        while (r.pos < metaEnd) {
          const f = r.uint32();
          if (f === ((1 << 3) | WIRE_VARINT)) meta.type = r.uint32();
          else if (f === ((3 << 3) | WIRE_VARINT)) meta.help = r.uint32();
          else if (f === ((4 << 3) | WIRE_VARINT)) meta.unit = r.uint32();
          else r.skip(f & 7);
        }
        r.limit = end;
        break;
      }
      default:
        at.field = '';
        r.skip(tag & 7);
    }
  }
  r.limit = outer;
  at.field = 'labels_refs';
  if (refs.length % 2 !== 0) throw new ProtoError(`${refs.length} label references: they come in name, value pairs`);
  const labels: Record<string, string> = {};
  let duplicate: string | undefined;
  for (let i = 0; i < refs.length; i += 2) {
    const name = symbol(symbols, refs[i] as number);
    const value = symbol(symbols, refs[i + 1] as number);
    const repeated = setLabel(labels, name, value);
    duplicate ??= repeated;
  }
  at.field = 'metadata';
  const name = labels[METRIC_NAME];
  if (meta !== undefined && name !== undefined && !metadata.has(name)) {
    const type = METRIC_TYPES[meta.type];
    const help = symbol(symbols, meta.help);
    const unit = symbol(symbols, meta.unit);
    // An unspecified type without help or unit says nothing: not stored.
    if (type !== undefined && (meta.type !== 0 || help !== '' || unit !== '')) metadata.set(name, { metricFamilyName: name, type, unit, help });
  }
  const stored = storableSeries(labels, samples, histograms, duplicate, rejections);
  if (stored !== undefined) out.push(stored);
}

function symbol(symbols: readonly string[], ref: number): string {
  const s = symbols[ref];
  if (s === undefined) throw new ProtoError(`symbol reference ${ref} is past the symbol table (${symbols.length} symbols)`);
  return s;
}
