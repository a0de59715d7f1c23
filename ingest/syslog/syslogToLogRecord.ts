import type { Attributes, LogRecord } from '../../core/index.js';
import type { SyslogMessage } from './syslogMessage.js';
import { FACILITY_NAMES, OTEL_SEVERITY, SEVERITY_NAMES } from './syslogMessage.js';

/**
 * A syslog message as a log record. Stream labels: `source="syslog"`, `hostname`, `app_name`,
 * `severity`, `facility` (keywords, e.g. "warning", "local3"; empty fields leave their label out).
 * Attributes, named as the OpenTelemetry Collector's syslog receiver names them: `proc_id`,
 * `msg_id`, and `structured_data` as {SD-ID: {param: value}}; `peer` is the sender's address.
 * Streams are shared between records with the same labels, through `streams`.
 */
export function syslogToLogRecord(m: SyslogMessage, receivedAtNs: bigint, peer: string, streams: StreamCache): LogRecord {
  const attributes: Record<string, Attributes[string]> = {};
  if (m.procId !== '') attributes.proc_id = m.procId;
  if (m.msgId !== '') attributes.msg_id = m.msgId;
  for (const _id in m.structuredData) {
    attributes.structured_data = m.structuredData;
    break;
  }
  if (peer !== '') attributes.peer = peer;
  const severity = SEVERITY_NAMES[m.severity] as string;
  return {
    timeNs: m.timeNs ?? receivedAtNs,
    observedTimeNs: receivedAtNs,
    severityNumber: OTEL_SEVERITY[m.severity] as number,
    severityText: severity,
    body: m.message,
    stream: streams.get(m.hostname, m.appName, severity, FACILITY_NAMES[m.facility] as string),
    attributes,
    resource: {},
    traceId: '',
    spanId: '',
  };
}

/** Label sets by their values, so that a batch of one sender's lines shares one object. Bounded: cleared when large. */
export class StreamCache {
  private readonly byKey = new Map<string, Readonly<Record<string, string>>>();

  get(hostname: string, appName: string, severity: string, facility: string): Readonly<Record<string, string>> {
    const key = `${hostname}\u0000${appName}\u0000${severity}\u0000${facility}`;
    let labels = this.byKey.get(key);
    if (labels === undefined) {
      const l: Record<string, string> = { source: 'syslog' };
      if (hostname !== '') l.hostname = hostname;
      if (appName !== '') l.app_name = appName;
      l.severity = severity;
      l.facility = facility;
      if (this.byKey.size >= 10_000) this.byKey.clear();
      labels = l;
      this.byKey.set(key, labels);
    }
    return labels;
  }
}
