/**
 * A synthetic OTLP metrics request shaped like a host/service exporter: per resource a few
 * resource attributes, gauges and monotonic sums with 3 attributes per point, and one
 * histogram of 10 buckets. Returns the OTLP JSON object and how many Prometheus samples it maps to.
 */
export function syntheticMetricsRequest(resources: number, seriesPerMetric: number, nowNs: bigint): { request: Record<string, unknown>; samples: number } {
  const time = nowNs.toString();
  let samples = 0;
  const point = (i: number, value: Record<string, unknown>): Record<string, unknown> => ({
    timeUnixNano: time,
    startTimeUnixNano: time,
    attributes: [
      { key: 'cpu', value: { stringValue: String(i % 64) } },
      { key: 'state', value: { stringValue: ['user', 'system', 'idle', 'iowait'][i % 4] } },
      { key: 'device', value: { stringValue: `dev${i}` } },
    ],
    ...value,
  });
  const resourceMetrics = Array.from({ length: resources }, (_, r) => {
    const gauges = ['system.cpu.utilization', 'system.memory.usage', 'system.disk.io.time'].map((name, m) => {
      samples += seriesPerMetric;
      return { name, unit: m === 1 ? 'By' : '1', gauge: { dataPoints: Array.from({ length: seriesPerMetric }, (_, i) => point(i, { asDouble: i * 0.5 })) } };
    });
    const sums = ['system.network.io', 'system.disk.operations'].map((name) => {
      samples += seriesPerMetric;
      return {
        name,
        unit: 'By',
        sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: Array.from({ length: seriesPerMetric }, (_, i) => point(i, { asInt: String(i * 1000) })) },
      };
    });
    const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    const histPoints = Math.max(1, Math.floor(seriesPerMetric / 10));
    samples += histPoints * (bounds.length + 3);
    const histogram = {
      name: 'http.server.duration',
      unit: 's',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: Array.from({ length: histPoints }, (_, i) =>
          point(i, { count: '110', sum: 12.5, explicitBounds: bounds, bucketCounts: bounds.map(() => '10').concat(['10']) }),
        ),
      },
    };
    return {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'node-exporter' } },
          { key: 'service.instance.id', value: { stringValue: `host-${r}` } },
          { key: 'host.name', value: { stringValue: `host-${r}` } },
          { key: 'os.type', value: { stringValue: 'linux' } },
        ],
      },
      scopeMetrics: [{ scope: { name: 'hostmetrics', version: '1.0' }, metrics: [...gauges, ...sums, histogram] }],
    };
  });
  samples += resources; // target_info
  return { request: { resourceMetrics }, samples };
}

/** A synthetic OTLP logs request: `resources` pods with `perResource` records each, 3 attributes per record. */
export function syntheticLogsRequest(resources: number, perResource: number, nowNs: bigint): Record<string, unknown> {
  const time = nowNs.toString();
  return {
    resourceLogs: Array.from({ length: resources }, (_, r) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'checkout' } },
          { key: 'k8s.namespace.name', value: { stringValue: 'shop' } },
          { key: 'k8s.pod.name', value: { stringValue: `checkout-${r}` } },
          { key: 'process.pid', value: { intValue: String(1000 + r) } },
        ],
      },
      scopeLogs: [
        {
          scope: { name: 'app' },
          logRecords: Array.from({ length: perResource }, (_, i) => ({
            timeUnixNano: time,
            observedTimeUnixNano: time,
            severityNumber: 9 + (i % 3) * 4,
            severityText: ['INFO', 'WARN', 'ERROR'][i % 3],
            body: { stringValue: `request ${i} handled in ${i % 97} ms for user ${i % 1000}` },
            attributes: [
              { key: 'http.route', value: { stringValue: '/cart/items' } },
              { key: 'http.status_code', value: { intValue: '200' } },
              { key: 'user.id', value: { stringValue: `u${i % 1000}` } },
            ],
            traceId: '5b8efff798038103d269b633813fc60c',
            spanId: 'eee19b7ec3c1b174',
          })),
        },
      ],
    })),
  };
}
