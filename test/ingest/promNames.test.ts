import { describe, expect, it } from 'vitest';
import { isValidLabelName, isValidMetricName } from '../../core/index.js';
import type { PromMetricKind } from '../../ingest/otlp/index.js';
import { promLabelName, promMetricName } from '../../ingest/otlp/index.js';

describe('OTLP metric name → Prometheus name', () => {
  it.each<[string, string, PromMetricKind, string, string]>([
    ['http.server.duration', 'ms', 'histogram', 'http_server_duration_milliseconds', 'milliseconds'],
    ['system.cpu.utilization', '1', 'gauge', 'system_cpu_utilization_ratio', 'ratio'],
    ['http.requests', '1', 'counter', 'http_requests_total', ''],
    ['requests_total', '', 'counter', 'requests_total', ''],
    ['process.cpu.time', 's', 'counter', 'process_cpu_time_seconds_total', 'seconds'],
    ['sent_bytes_total', 'By', 'counter', 'sent_bytes_total', 'bytes'],
    ['bytes', 'By', 'gauge', 'bytes', 'bytes'],
    ['job_seconds', 's', 'gauge', 'job_seconds', 'seconds'],
    ['packets.rate', '{packets}/s', 'gauge', 'packets_rate_per_second', 'per_second'],
    ['network.io', 'By/s', 'gauge', 'network_io_bytes_per_second', 'bytes_per_second'],
    ['drops', 'packets', 'gauge', 'drops_packets', 'packets'],
    ['cpu.load', '%', 'gauge', 'cpu_load_percent', 'percent'],
    ['memory', 'MiBy', 'summary', 'memory_mebibytes', 'mebibytes'],
    ['a..b--c', '', 'gauge', 'a_b_c', ''],
    ['1st.metric', '', 'gauge', '_1st_metric', ''],
    ['ns:metric', 'ns', 'gauge', 'ns:metric_nanoseconds', 'nanoseconds'],
    ['ratio.of.things', '1', 'summary', 'ratio_of_things', ''],
  ])('%s [%s] as %s → %s', (name, unit, kind, expected, expectedUnit) => {
    const result = promMetricName(name, unit, kind);
    expect(result).toEqual({ name: expected, unit: expectedUnit });
    expect(isValidMetricName(result.name)).toBe(true);
  });
});

describe('OTLP attribute key → Prometheus label name', () => {
  it.each([
    ['http.method', 'http_method'],
    ['k8s.pod.name', 'k8s_pod_name'],
    ['1st', 'key_1st'],
    ['_private', 'key_private'],
    ['__name__', 'key__name__'],
    ['a:b', 'a_b'],
    ['crème', 'cr_me'],
    ['plain', 'plain'],
  ])('%s → %s', (key, expected) => {
    expect(promLabelName(key)).toBe(expected);
    expect(isValidLabelName(promLabelName(key))).toBe(true);
  });
});
