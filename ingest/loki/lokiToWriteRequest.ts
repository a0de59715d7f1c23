import type { LogRecord, WriteRequest } from '../../core/index.js';
import type { LokiStream } from './lokiPushRequest.js';

/**
 * Loki streams as log records: the stream's labels are the record's stream, the line its body,
 * structured metadata its attributes. Loki has no severity field: severityNumber 0.
 */
export function lokiToWriteRequest(streams: readonly LokiStream[], tenant: string, receivedAtNs: bigint): WriteRequest {
  let count = 0;
  for (const s of streams) count += s.entries.length;
  const logs: LogRecord[] = new Array<LogRecord>(count);
  let i = 0;
  for (const { labels, entries } of streams) {
    for (const e of entries) {
      logs[i++] = { timeNs: e.timeNs, observedTimeNs: receivedAtNs, severityNumber: 0, severityText: '', body: e.line, stream: labels, attributes: e.metadata, resource: {}, traceId: '', spanId: '' };
    }
  }
  return { tenant, series: [], metadata: [], logs, events: [] };
}
