import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord, MetricMetadata, TimeSeries } from '../../core/index.js';
import { formatSeries, isStaleNaN } from '../../core/index.js';
import type { Harness } from './harness.js';
import { otlpHarness } from './harness.js';
import { body, cases, encodings } from './mappingCases.js';

/**
 * Each file under data/metrics and data/logs is one mapping case: an OTLP JSON request and the
 * series / log records the pipeline must publish. Every case is posted as JSON, as protobuf
 * (encoded from the same request) and gzip'ed; all three must publish exactly the expectation.
 */
/** Series in a stable order with NaN spelled "NaN", as the data files write it. */
function comparable(series: readonly TimeSeries[]): unknown[] {
  return series
    .map((s) => ({ labels: s.labels, samples: s.samples.map((x) => ({ t: x.t, v: Number.isNaN(x.v) ? 'NaN' : x.v })) }))
    .sort((a, b) => formatSeries(a.labels).localeCompare(formatSeries(b.labels)) || (a.samples[0]?.t ?? 0) - (b.samples[0]?.t ?? 0));
}

function comparableLogs(logs: readonly LogRecord[]): unknown[] {
  return logs.map((r) => ({ ...r, timeNs: r.timeNs.toString(), observedTimeNs: r.observedTimeNs.toString() }));
}

let h: Harness;
beforeAll(async () => {
  h = await otlpHarness();
});
afterAll(async () => {
  await h.app.close();
});

describe('OTLP metrics → Prometheus series', () => {
  for (const c of cases<{ series: unknown[]; metadata: MetricMetadata[] }>('metrics')) {
    describe(`${c.file}: ${c.description}`, () => {
      it.each(encodings)('%s', async (encoding) => {
        h.producer.sent.length = 0;
        const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', ...body(c.request, encoding, 'metrics') });
        expect(res.statusCode, res.body).toBe(200);
        const published = h.producer.payloads('metrics');
        expect(comparable(published.flatMap((p) => p.series))).toEqual(comparable(c.expect.series as TimeSeries[]));
        expect(published.flatMap((p) => p.metadata)).toEqual(c.expect.metadata);
        expect(h.producer.sent.every((s) => s.key === 'default' && s.topic === 'vigil.metrics')).toBe(true);
        if (encoding.endsWith('json')) {
          const answer = JSON.parse(res.body) as { partialSuccess?: { rejectedDataPoints: string; errorMessage: string } };
          if (c.expect.rejected === 0) expect(answer).toEqual({});
          else {
            expect(answer.partialSuccess?.rejectedDataPoints).toBe(String(c.expect.rejected));
            for (const text of c.expect.errorMessageContains ?? []) expect(answer.partialSuccess?.errorMessage).toContain(text);
          }
        }
      });
    });
  }
});

describe('OTLP logs → log records', () => {
  for (const c of cases<{ logs: unknown[] }>('logs')) {
    describe(`${c.file}: ${c.description}`, () => {
      it.each(encodings)('%s', async (encoding) => {
        h.producer.sent.length = 0;
        const res = await h.app.inject({ method: 'POST', url: '/v1/logs', ...body(c.request, encoding, 'logs') });
        expect(res.statusCode, res.body).toBe(200);
        const published = h.producer.payloads('logs');
        expect(comparableLogs(published.flatMap((p) => p.logs))).toEqual(c.expect.logs);
        expect(h.producer.sent.every((s) => s.key === 'default' && s.topic === 'vigil.logs')).toBe(true);
      });
    });
  }
});

describe('OTLP no-recorded-value points → staleness markers', () => {
  const request = {
    resourceMetrics: [
      {
        scopeMetrics: [
          {
            metrics: [
              { name: 'g', gauge: { dataPoints: [{ timeUnixNano: '1700000000000000000', flags: 1 }] } },
              { name: 'c', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: '1700000000000000000', asInt: '0', flags: 1 }] } },
              { name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: '1700000000000000000', flags: 1, explicitBounds: [1], bucketCounts: ['0', '0'], sum: 0 }] } },
              { name: 's', summary: { dataPoints: [{ timeUnixNano: '1700000000000000000', flags: 1, quantileValues: [{ quantile: 0.5, value: 0 }] }] } },
            ],
          },
        ],
      },
    ],
  };
  it.each(['json', 'protobuf'] as const)('%s: every series of a flagged point gets Prometheus\' stale NaN, through the bus codec', async (encoding) => {
    h.producer.sent.length = 0;
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', ...body(request, encoding, 'metrics') });
    expect(res.statusCode, res.body).toBe(200);
    const series = h.producer.payloads('metrics').flatMap((p) => p.series);
    expect(series.map((s) => s.labels.__name__).sort()).toEqual(['c_total', 'g', 'h_bucket', 'h_bucket', 'h_count', 'h_sum', 's', 's_count', 's_sum']);
    expect(series.flatMap((s) => s.samples).every((x) => isStaleNaN(x.v))).toBe(true);
  });
});
