import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtlpMetricsProtobuf } from '../../ingest/index.js';
import { otlpTypes } from '../../ingest/otlp/index.js';
import { BAD_INPUT_LIMITS, badCases, gaugeRequest, json, JSON_TYPE, PROTO_TYPE, T } from './badInputCases.js';
import type { Harness } from './harness.js';
import { otlpHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await otlpHarness(BAD_INPUT_LIMITS);
});
afterAll(async () => {
  await h.app.close();
});

describe('OTLP/HTTP bad input', () => {
  it.each(badCases)('$name → $status', async (c) => {
    h.producer.sent.length = 0;
    const res = await h.app.inject({ method: 'POST', url: c.url ?? '/v1/metrics', headers: c.headers, payload: c.payload });
    expect(res.statusCode, res.body).toBe(c.status);
    const status = c.headers['content-type'] === 'application/x-protobuf' ? otlpTypes.status.toObject(otlpTypes.status.decode(res.rawPayload)) : (JSON.parse(res.body) as unknown);
    expect(status).toMatchObject({ code: c.status === 413 ? 8 : 3 });
    expect((status as { message: string }).message).toContain(c.message);
    expect(h.producer.sent).toEqual([]);
  });

  it('answers a protobuf request with a protobuf google.rpc.Status', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.from([0xff, 0xff]) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    const status = otlpTypes.status.decode(res.rawPayload) as unknown as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^malformed protobuf ExportMetricsServiceRequest: /);
  });
});

describe('OTLP/HTTP success, partial success, tenants and backpressure', () => {
  it('reports partial success in protobuf with the rejected count and the reason', async () => {
    h.producer.sent.length = 0;
    const body = encodeOtlpMetricsProtobuf(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }, { timeUnixNano: '5', asDouble: 2 }]));
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.from(body) });
    expect(res.statusCode).toBe(200);
    const answer = otlpTypes.metricsResponse.toObject(otlpTypes.metricsResponse.decode(res.rawPayload), { longs: Number }) as {
      partialSuccess: { rejectedDataPoints: number; errorMessage: string };
    };
    expect(answer.partialSuccess.rejectedDataPoints).toBe(1);
    expect(answer.partialSuccess.errorMessage).toContain('g: timestamp 1970-01-01T00:00:00.000Z is older than');
    expect(h.producer.payloads('metrics').flatMap((p) => p.series.map((s) => s.samples))).toEqual([[{ t: 1_700_000_000_000, v: 1 }]]);
  });

  it('answers full success with an empty ExportLogsServiceResponse', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/logs',
      headers: JSON_TYPE,
      payload: json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: T, body: { stringValue: 'hi' } }] }] }] }),
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({});
  });

  it('accepts an empty request (nothing to store is not an error)', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: PROTO_TYPE, payload: Buffer.alloc(0) });
    expect(res.statusCode).toBe(200);
  });

  it('publishes under the X-Scope-OrgID tenant, keyed by tenant', async () => {
    h.producer.sent.length = 0;
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/metrics',
      headers: { ...JSON_TYPE, 'x-scope-orgid': 'team-a' },
      payload: json(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }])),
    });
    expect(res.statusCode).toBe(200);
    expect(h.producer.sent.map((s) => [s.topic, s.key, s.payload.tenant])).toEqual([['vigil.metrics', 'team-a', 'team-a']]);
  });

  it('turns bus backpressure into 429 with Retry-After, and accepts again once it clears', async () => {
    const payload = json(gaugeRequest([{ timeUnixNano: T, asDouble: 1 }]));
    h.producer.backpressure(1500);
    try {
      const res = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('2');
      expect(JSON.parse(res.body)).toEqual({ code: 8, message: 'topic vigil.metrics is 1500 ms behind' });
    } finally {
      h.producer.backpressure(undefined);
    }
    const again = await h.app.inject({ method: 'POST', url: '/v1/metrics', headers: JSON_TYPE, payload });
    expect(again.statusCode).toBe(200);
  });

  it('counts received, accepted and rejected samples by reason', async () => {
    const text = await h.registry.getSingleMetricAsString('vigil_ingest_rejected_total');
    expect(text).toMatch(/vigil_ingest_rejected_total\{kind="samples",reason="too_many_labels"\} 1/);
    expect(text).toMatch(/vigil_ingest_rejected_total\{kind="logs",reason="line_too_long"\} 1/);
    expect(await h.registry.getSingleMetricAsString('vigil_ingest_accepted_total')).toMatch(/kind="samples"\} [1-9]/);
  });
});
