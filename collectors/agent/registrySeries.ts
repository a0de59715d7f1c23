import type { Registry } from 'prom-client';
import type { MetricMetadata, MetricType, TimeSeries } from '../../core/index.js';

/**
 * A prom-client registry's current values as series with the given job and instance: how the
 * node agent ships its own metrics (batches, buffer, files followed, process CPU and memory)
 * with the host's, so the server that stores them also watches the agent.
 */
export async function registrySeries(registry: Registry, job: string, instance: string, nowMs: number): Promise<{ series: TimeSeries[]; metadata: MetricMetadata[] }> {
  const series: TimeSeries[] = [];
  const metadata: MetricMetadata[] = [];
  for (const m of await registry.getMetricsAsJSON()) {
    const t = String(m.type);
    const type: MetricType = t === 'counter' || t === 'gauge' || t === 'histogram' || t === 'summary' ? t : 'unknown';
    metadata.push({ metricFamilyName: m.name, type, help: m.help, unit: '' });
    for (const v of m.values) {
      const labels: Record<string, string> = {};
      for (const [k, x] of Object.entries(v.labels)) if (x !== undefined) labels[k] = String(x);
      const name = (v as { metricName?: string }).metricName ?? m.name;
      series.push({ labels: { ...labels, job, instance, __name__: name }, samples: [{ t: nowMs, v: v.value }] });
    }
  }
  return { series, metadata };
}
