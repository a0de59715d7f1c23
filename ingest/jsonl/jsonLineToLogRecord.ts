import type { Attributes, AttributeValue, LogRecord } from '../../core/index.js';
import { quote, VigilError } from '../../core/index.js';
import { levelOf } from '../otlp/otlpLogsToWriteRequest.js';
import { parseRfc3339 } from '../syslog/syslogParse.js';

/** Which fields of a JSON log line mean what (VictoriaLogs' `_msg_field`, `_time_field`, `_stream_fields`). */
export interface JsonLineFields {
  /** Fields tried in order for the message; the first present one wins. */
  readonly msg: readonly string[];
  readonly time: readonly string[];
  /** Fields whose values form the stream's labels. */
  readonly stream: readonly string[];
}

export const DEFAULT_JSON_LINE_FIELDS: JsonLineFields = { msg: ['_msg', 'message', 'msg'], time: ['_time', 'timestamp', 'time'], stream: [] };

/** OpenTelemetry's numbers for the usual level words (the first of each range). */
const LEVEL_NUMBERS: Readonly<Record<string, number>> = { trace: 1, debug: 5, info: 9, information: 9, notice: 10, warn: 13, warning: 13, error: 17, err: 17, critical: 21, fatal: 21, panic: 21 };

/**
 * One JSON log line (an object) as a log record, the way VictoriaLogs reads /insert/jsonline:
 * the message field is the body, the time field the timestamp (RFC 3339 text, or a number of
 * seconds, milliseconds, microseconds or nanoseconds told apart by magnitude; absent = now),
 * `_stream_fields` the stream labels (`source="jsonline"` when none is given), `level` the
 * severity, and every other field an attribute as it was (nested objects kept).
 * Throws VigilError('bad_data') naming the field.
 */
export function jsonLineToLogRecord(obj: Record<string, unknown>, fields: JsonLineFields, receivedAtNs: bigint): LogRecord {
  const used = new Set<string>();
  const msgField = fields.msg.find((f) => obj[f] !== undefined);
  const timeField = fields.time.find((f) => obj[f] !== undefined);
  let body = '';
  if (msgField !== undefined) {
    used.add(msgField);
    const m = obj[msgField];
    body = typeof m === 'string' ? m : JSON.stringify(m);
  }
  let timeNs = receivedAtNs;
  if (timeField !== undefined) {
    used.add(timeField);
    timeNs = readTime(obj[timeField], timeField);
  }
  const stream: Record<string, string> = {};
  for (const f of fields.stream) {
    const v = obj[f];
    if (v === undefined || v === null) continue;
    used.add(f);
    stream[f] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (fields.stream.length === 0) stream.source = 'jsonline';
  const levelText = typeof obj.level === 'string' ? obj.level : typeof obj.severity === 'string' ? obj.severity : '';
  const severityNumber = LEVEL_NUMBERS[levelText.toLowerCase()] ?? 0;
  const attributes: Record<string, AttributeValue> = {};
  for (const k in obj) if (!used.has(k)) attributes[k] = obj[k] as AttributeValue;
  return {
    timeNs,
    observedTimeNs: receivedAtNs,
    severityNumber,
    severityText: levelOf(severityNumber, levelText) === undefined ? '' : levelText,
    body,
    stream,
    attributes: attributes as Attributes,
    resource: {},
    traceId: typeof obj.trace_id === 'string' && /^[0-9a-f]{32}$/.test(obj.trace_id) ? obj.trace_id : '',
    spanId: typeof obj.span_id === 'string' && /^[0-9a-f]{16}$/.test(obj.span_id) ? obj.span_id : '',
  };
}

function readTime(v: unknown, field: string): bigint {
  if (typeof v === 'string') {
    if (/^\d{1,19}$/.test(v)) return scaleToNs(BigInt(v));
    try {
      return parseRfc3339(v);
    } catch {
      throw new VigilError('bad_data', `${field}: ${quote(v, 40)} is neither RFC 3339 nor a Unix timestamp`);
    }
  }
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
    // Seconds may carry a fraction; larger units are whole numbers.
    return v < 1e11 ? BigInt(Math.round(v * 1e6)) * 1000n : scaleToNs(BigInt(Math.round(v)));
  }
  throw new VigilError('bad_data', `${field}: expected RFC 3339 text or a Unix timestamp, got ${typeof v}`);
}

/** A whole Unix timestamp in s, ms, µs or ns, told apart by magnitude (as VictoriaLogs does). */
function scaleToNs(n: bigint): bigint {
  if (n < 100_000_000_000n) return n * 1_000_000_000n;
  if (n < 100_000_000_000_000n) return n * 1_000_000n;
  if (n < 100_000_000_000_000_000n) return n * 1_000n;
  return n;
}
