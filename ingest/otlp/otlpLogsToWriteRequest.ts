import type { Attributes, Labels, LogRecord, WriteRequest } from '../../core/index.js';
import { OtlpCursor } from './otlpCursor.js';
import type { ResourceView } from './otlpLabels.js';
import { attributeText, readResource } from './otlpLabels.js';
import type { OtlpObject } from './otlpValues.js';
import { readAnyValue, readArray, readEnum, readIdAsHex, readKeyValues, readNanosAsBigint, readObject, readString } from './otlpValues.js';
import { promLabelName } from './promNames.js';

/**
 * Low-cardinality resource attributes that become stream labels (names sanitised:
 * `k8s.namespace.name` → `k8s_namespace_name`), after Loki's default OTLP index labels.
 * Everything else stays in the record's `resource` so that streams do not explode.
 */
export const STREAM_RESOURCE_ATTRIBUTES: readonly string[] = [
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.replicaset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
  'k8s.node.name',
  'container.name',
  'host.name',
];

/** Enum names JSON may use instead of numbers: index = severity number. */
const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((l) => [1, 2, 3, 4].map((n) => `SEVERITY_NUMBER_${l}${n === 1 ? '' : n}`)),
];
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** The `level` stream label: from the severity number's range, else the lower-cased severity text. */
export function levelOf(severityNumber: number, severityText: string): string | undefined {
  if (severityNumber >= 1 && severityNumber <= 24) return LEVELS[Math.floor((severityNumber - 1) / 4)];
  const text = severityText.trim().toLowerCase();
  return text.length > 0 ? text : undefined;
}

/**
 * Maps an ExportLogsServiceRequest (decoded protobuf or OTLP JSON) to log records:
 * time = timeUnixNano, or observedTimeUnixNano when that is 0, or the receive time when both
 * are; observed time = observedTimeUnixNano or the receive time; body = the string, other
 * AnyValue kinds as JSON; stream = job/instance (as for metrics) + the allow-listed resource
 * attributes + `level`; trace/span ids as lower-case hex.
 */
export function otlpLogsToWriteRequest(body: unknown, tenant: string, receivedAtNs: bigint): WriteRequest {
  const cur = new OtlpCursor();
  const logs: LogRecord[] = [];
  const root = readObject(body, cur, '(root)');
  if (root === undefined) return cur.fail('(root)', 'an ExportLogsServiceRequest object', body);
  const resourceLogs = readArray(root.resourceLogs, cur, 'resourceLogs');
  for (let i = 0; i < resourceLogs.length; i++) {
    cur.enter(0, 'resourceLogs', i);
    const rl = readObject(resourceLogs[i], cur, '') ?? {};
    const resource = readResource(rl.resource, cur, 'resource');
    const streams = new StreamsByLevel(streamLabels(resource));
    const scopes = readArray(rl.scopeLogs, cur, 'scopeLogs');
    for (let j = 0; j < scopes.length; j++) {
      cur.enter(1, 'scopeLogs', j);
      const sl = readObject(scopes[j], cur, '') ?? {};
      const records = readArray(sl.logRecords, cur, 'logRecords');
      for (let k = 0; k < records.length; k++) {
        cur.enter(2, 'logRecords', k);
        logs.push(mapRecord(readObject(records[k], cur, '') ?? {}, cur, resource.attributes, streams, receivedAtNs));
      }
    }
  }
  return { tenant, series: [], metadata: [], logs, events: [] };
}

/** One stream label set per level within a resource: records share it instead of copying it. */
class StreamsByLevel {
  private readonly byLevel = new Map<string, Labels>();
  constructor(private readonly base: Labels) {}

  get(level: string | undefined): Labels {
    if (level === undefined) return this.base;
    let stream = this.byLevel.get(level);
    if (stream === undefined) {
      stream = { ...this.base, level };
      this.byLevel.set(level, stream);
    }
    return stream;
  }
}

function streamLabels(resource: ResourceView): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of STREAM_RESOURCE_ATTRIBUTES) {
    const value = resource.attributes[key];
    if (value === undefined) continue;
    const text = attributeText(value);
    if (text.length > 0) labels[promLabelName(key)] = text;
  }
  if (resource.job !== undefined) labels.job = resource.job;
  if (resource.instance !== undefined) labels.instance = resource.instance;
  return labels;
}

function mapRecord(r: OtlpObject, cur: OtlpCursor, resource: Attributes, streams: StreamsByLevel, receivedAtNs: bigint): LogRecord {
  const observed = readNanosAsBigint(r.observedTimeUnixNano, cur, 'observedTimeUnixNano');
  const time = readNanosAsBigint(r.timeUnixNano, cur, 'timeUnixNano');
  const severityNumber = readEnum(r.severityNumber, cur, 'severityNumber', SEVERITY_NAMES);
  if (severityNumber < 0 || severityNumber > 24) cur.fail('severityNumber', 'a severity number from 0 to 24', severityNumber);
  const severityText = readString(r.severityText, cur, 'severityText');
  const bodyValue = readAnyValue(r.body, cur, 'body');
  const level = levelOf(severityNumber, severityText);
  const observedTimeNs = observed === 0n ? receivedAtNs : observed;
  return {
    timeNs: time !== 0n ? time : observedTimeNs,
    observedTimeNs,
    severityNumber,
    severityText,
    body: typeof bodyValue === 'string' ? bodyValue : bodyValue === null ? '' : JSON.stringify(bodyValue),
    stream: streams.get(level),
    attributes: readKeyValues(r.attributes, cur, 'attributes'),
    resource,
    traceId: readIdAsHex(r.traceId, 16, cur, 'traceId'),
    spanId: readIdAsHex(r.spanId, 8, cur, 'spanId'),
  };
}
