import { afterEach, describe, expect, it } from 'vitest';
import type { Limits } from '../../core/index.js';
import { NOW_MS } from './harness.js';
import { PROMETHEUS_HEADERS, remoteWriteBody, rwLabels } from './remoteWriteEncoder.js';
import type { RemoteWriteHarness } from './remoteWriteHarness.js';
import { remoteWriteHarness } from './remoteWriteHarness.js';

/**
 * The cardinality guard through the remote-write receiver and the real pipeline: new series
 * beyond the tenant's active-series limit, or bringing one more value to a label name than
 * limits.maxLabelValuesPerName allows, lose their samples; known series and everything else
 * flow. Each refusal names the limit, the label, an example series and the metric names that
 * lost the most samples, and /metrics counts refused samples per metric name, so the operator
 * can tell which exporter it was.
 */
const T = NOW_MS - 10_000;
type Series = Record<string, string>;

let h: RemoteWriteHarness | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

async function push(series: readonly Series[]): Promise<{ status: number; body: string; published: string[] }> {
  const a = h as RemoteWriteHarness;
  a.producer.sent.length = 0;
  const payload = remoteWriteBody({ timeseries: series.map((labels) => ({ labels: rwLabels(labels), samples: [{ value: 1, timestamp: T }] })) });
  const res = await a.app.inject({ method: 'POST', url: '/api/v1/write', headers: PROMETHEUS_HEADERS, payload });
  const published = a.producer.payloads('metrics').flatMap((p) => p.series.map((s) => Object.values(s.labels).join(' ')));
  return { status: res.statusCode, body: res.body.trim(), published };
}

const path = (p: string): Series => ({ __name__: 'http_requests_total', path: p });
const bad = (id: number): Series => ({ __name__: 'bad_metric', id: String(id) });

describe('values per label name (limits.maxLabelValuesPerName)', () => {
  it('refuses a new series that brings one value too many, names the label and the metric; known series flow', async () => {
    h = await remoteWriteHarness({ maxLabelValuesPerName: 3 });
    expect(await push([path('/a'), path('/b'), path('/c')])).toMatchObject({ status: 204 });
    // The same series again: their values are known, nothing is counted twice.
    expect(await push([path('/a'), path('/b'), path('/c')])).toMatchObject({ status: 204 });

    const partial = await push([path('/a'), path('/d'), { __name__: 'up', job: 'api' }]);
    expect(partial.status).toBe(400);
    expect(partial.body).toBe(
      '2 samples stored, 1 rejected: per-tenant limit of 3 values per label name exceeded for label "path" of tenant "default" (limits.maxLabelValuesPerName): ' +
        '1 new series rejected, e.g. http_requests_total{path="/d"}; refused by metric: http_requests_total (1 samples)',
    );
    expect(partial.published).toEqual(['http_requests_total /a', 'up api']);
  });

  it('counts metric names too: __name__ is a label like the others', async () => {
    h = await remoteWriteHarness({ maxLabelValuesPerName: 2 });
    const res = await push([{ __name__: 'a' }, { __name__: 'b' }, { __name__: 'c' }]);
    expect(res.status).toBe(400);
    expect(res.body).toContain('exceeded for label "__name__" of tenant "default"');
    expect(res.published).toEqual(['a', 'b']);
  });

  it('singles out the exploding exporter in /metrics, per metric name', async () => {
    h = await remoteWriteHarness({ maxLabelValuesPerName: 10 });
    const good = Array.from({ length: 5 }, (_, i) => ({ __name__: 'node_load1', instance: `host-${i}` }));
    const res = await push([...good, ...Array.from({ length: 50 }, (_, i) => bad(i))]);
    expect(res.status).toBe(400);
    expect(res.body).toContain('40 new series rejected, e.g. bad_metric{id="10"}; refused by metric: bad_metric (40 samples)');
    expect(res.published.filter((s) => s.startsWith('node_load1'))).toHaveLength(5);
    const text = await h.registry.metrics();
    expect(text).toContain('vigil_ingest_cardinality_refused_samples_total{tenant="default",reason="per_label_name_values",metric="bad_metric"} 40');
    expect(text).toContain('vigil_ingest_limited_records_total{tenant="default",reason="per_label_name_values"} 40');
    expect(text).toContain('vigil_ingest_rejected_total{kind="samples",reason="per_label_name_values"} 40');
    expect(text).not.toContain('metric="node_load1"');
  });

  it('answers 400 naming the limit when nothing of the request is left', async () => {
    h = await remoteWriteHarness({ maxLabelValuesPerName: 1 });
    expect((await push([bad(1)])).status).toBe(204);
    const none = await push([bad(2), bad(3)]);
    expect(none.status).toBe(400);
    expect(none.body).toMatch(/^all 2 records rejected: per-tenant limit of 1 values per label name exceeded for label "id" of tenant "default" \(limits\.maxLabelValuesPerName\)/);
    expect(none.published).toEqual([]);
    expect(await h.registry.metrics()).toContain('vigil_ingest_limited_requests_total{tenant="default",reason="per_label_name_values"} 1');
  });

  it('is off at 0', async () => {
    h = await remoteWriteHarness({ maxLabelValuesPerName: 0, maxActiveSeries: 0 });
    expect((await push(Array.from({ length: 200 }, (_, i) => bad(i)))).status).toBe(204);
  });
});

describe('active series (limits.maxActiveSeries), per metric name', () => {
  it('lists the metrics that lost the most samples, most first', async () => {
    h = await remoteWriteHarness({ maxActiveSeries: 4, maxLabelValuesPerName: 0 } satisfies Partial<Limits>);
    const res = await push([path('/a'), path('/b'), ...Array.from({ length: 5 }, (_, i) => bad(i)), path('/c')]);
    expect(res.status).toBe(400);
    expect(res.body).toContain(
      'per-tenant active series limit of 4 exceeded for tenant "default" (limits.maxActiveSeries): 4 new series rejected, e.g. bad_metric{id="2"}; ' +
        'series seen within the last hour still flow; refused by metric: bad_metric (3 samples), http_requests_total (1 samples)',
    );
    const text = await h.registry.metrics();
    expect(text).toContain('vigil_ingest_cardinality_refused_samples_total{tenant="default",reason="per_tenant_active_series",metric="bad_metric"} 3');
    expect(text).toContain('vigil_ingest_cardinality_refused_samples_total{tenant="default",reason="per_tenant_active_series",metric="http_requests_total"} 1');
  });
});
