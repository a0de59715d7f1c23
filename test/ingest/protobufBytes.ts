/**
 * Hand-built protobuf bytes for inputs the encoder cannot produce (it recurses too): deeply
 * nested messages, built from the inside out without copying the payload per level.
 */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A length-delimited field holding `inner`, one level per field number (outermost first). */
export function nested(fields: readonly number[], inner: Uint8Array): Buffer {
  const headers: number[][] = [];
  let length = inner.length;
  for (let i = fields.length - 1; i >= 0; i--) {
    const header = [...varint(((fields[i] as number) << 3) | 2), ...varint(length)];
    headers.push(header);
    length += header.length;
  }
  headers.reverse();
  return Buffer.concat([Buffer.from(headers.flat()), inner]);
}

/** AnyValue{kvlist_value: KeyValueList{values: KeyValue{value: AnyValue{…}}}}, `levels` deep. */
export function kvlistChain(levels: number): number[] {
  const fields: number[] = [];
  for (let i = 0; i < levels; i++) fields.push(6, 1, 2);
  return fields;
}

/** The path from ExportMetricsServiceRequest to a gauge point's attribute value (an AnyValue). */
export const METRICS_TO_ATTRIBUTE_VALUE = [1, 2, 2, 5, 1, 7, 2];
/** The path from ExportLogsServiceRequest to a log record's body (an AnyValue). */
export const LOGS_TO_BODY = [1, 2, 2, 5];
