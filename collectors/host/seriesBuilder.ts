import type { Labels, MetricMetadata, MetricType, TimeSeries } from '../../core/index.js';

/**
 * Gathers one collection's samples: every series gets the base labels (job, instance), the
 * collection's single timestamp, and its family's metadata once.
 */
export class SeriesBuilder {
  private readonly series: TimeSeries[] = [];
  private readonly metadata = new Map<string, MetricMetadata>();

  constructor(
    private readonly base: Labels,
    private readonly t: number,
  ) {}

  add(name: string, type: MetricType, help: string, labels: Labels, value: number): void {
    if (!this.metadata.has(name)) this.metadata.set(name, { metricFamilyName: name, type, help, unit: '' });
    this.series.push({ labels: { ...labels, ...this.base, __name__: name }, samples: [{ t: this.t, v: value }] });
  }

  build(): { series: TimeSeries[]; metadata: MetricMetadata[] } {
    return { series: this.series, metadata: [...this.metadata.values()] };
  }
}
