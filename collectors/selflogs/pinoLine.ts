import type { AttributeValue, Attributes, LogRecord } from '../../core/index.js';

/** pino's numeric levels and the OpenTelemetry severity numbers they correspond to. */
const levels: Readonly<Record<number, { name: string; severity: number }>> = {
  10: { name: 'trace', severity: 1 },
  20: { name: 'debug', severity: 5 },
  30: { name: 'info', severity: 9 },
  40: { name: 'warn', severity: 13 },
  50: { name: 'error', severity: 17 },
  60: { name: 'fatal', severity: 21 },
};

// Fields pino writes itself; they become the record's time, severity and body, or its resource.
const envelopeFields = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'app', 'v']);

export interface LineContext {
  readonly job: string;
  readonly hostname: string;
  /** Fallback time when a line carries none (ms). */
  readonly nowMs: number;
}

/**
 * Turns one line pino wrote (JSON) into a LogRecord: stream labels job and level, the message as
 * body, every other field as an attribute. A line that is not JSON is kept as an info record
 * with the raw text as body. Pure.
 */
export function pinoLineToLogRecord(line: string, ctx: LineContext): LogRecord {
  let doc: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) doc = parsed as Record<string, unknown>;
  } catch {
    doc = undefined;
  }
  const timeMs = typeof doc?.['time'] === 'number' && Number.isFinite(doc['time']) ? Math.trunc(doc['time']) : ctx.nowMs;
  const level = levels[typeof doc?.['level'] === 'number' ? doc['level'] : 30] ?? { name: 'info', severity: 9 };
  const body = doc === undefined ? line.trimEnd() : typeof doc['msg'] === 'string' ? doc['msg'] : '';
  const attributes: Record<string, AttributeValue> = {};
  if (doc !== undefined) {
    for (const [k, v] of Object.entries(doc)) if (!envelopeFields.has(k)) attributes[k] = toAttribute(v);
  }
  const resource: Attributes = {
    'service.name': 'vigil',
    'host.name': ctx.hostname,
    ...(typeof doc?.['pid'] === 'number' ? { 'process.pid': doc['pid'] } : {}),
  };
  const timeNs = BigInt(timeMs) * 1_000_000n;
  return {
    timeNs,
    observedTimeNs: BigInt(ctx.nowMs) * 1_000_000n,
    severityNumber: level.severity,
    severityText: level.name,
    body,
    stream: { job: ctx.job, level: level.name },
    attributes,
    resource,
    traceId: hexField(doc?.['trace_id'], 32),
    spanId: hexField(doc?.['span_id'], 16),
  };
}

/** JSON values are attribute values already; anything else (it cannot come from JSON.parse) becomes text. */
function toAttribute(v: unknown): AttributeValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toAttribute);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toAttribute(x)]));
  return String(v);
}

/** A trace or span id from a log field, kept only when it is lower-case hex of the right length. */
function hexField(v: unknown, length: number): string {
  return typeof v === 'string' && v.length === length && /^[0-9a-f]+$/.test(v) ? v : '';
}
