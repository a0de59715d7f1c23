import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../../core/index.js';
import { createPushPipeline, jsonLinesRoutes } from '../../../ingest/index.js';
import { RecordingProducer } from '../recordingProducer.js';

const NOW_MS = Date.now();
const producer = new RecordingProducer();
const registry = new Registry();
let app: FastifyInstance;

beforeAll(async () => {
  const limits = limitsSchema.parse({});
  const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent') });
  app = Fastify({ logger: false });
  await app.register(jsonLinesRoutes, { pipeline, limits, defaultTenant: 'default', registry, now: () => NOW_MS });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  producer.sent.length = 0;
});

const iso = (ms: number): string => new Date(ms).toISOString();
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

describe('POST /insert/jsonline (VictoriaLogs-compatible)', () => {
  it('maps message, time, stream fields, level and the rest as attributes', async () => {
    const t = NOW_MS - 1000;
    const body = [
      JSON.stringify({ _time: iso(t), _msg: 'user logged in', app: 'auth', host: 'h1', level: 'info', user: { id: 7, roles: ['a'] } }),
      JSON.stringify({ timestamp: t * 1000, message: 'µs timestamp', app: 'auth', host: 'h2', level: 'error' }),
      JSON.stringify({ msg: 'no time', app: 'web' }),
    ].join('\n');
    const res = await app.inject({ method: 'POST', url: '/insert/jsonline?_stream_fields=app,host', payload: gzipSync(body), headers: { 'content-encoding': 'gzip' } });
    expect(res.statusCode).toBe(204);
    const logs = producer.payloads('logs').flatMap((p) => p.logs);
    expect(logs.map((l) => ({ timeNs: l.timeNs, body: l.body, stream: l.stream, attributes: l.attributes, severityNumber: l.severityNumber, severityText: l.severityText }))).toEqual([
      { timeNs: ns(t), body: 'user logged in', stream: { app: 'auth', host: 'h1' }, attributes: { level: 'info', user: { id: 7, roles: ['a'] } }, severityNumber: 9, severityText: 'info' },
      { timeNs: ns(t), body: 'µs timestamp', stream: { app: 'auth', host: 'h2' }, attributes: { level: 'error' }, severityNumber: 17, severityText: 'error' },
      { timeNs: ns(NOW_MS), body: 'no time', stream: { app: 'web' }, attributes: {}, severityNumber: 0, severityText: '' },
    ]);
  });

  it('takes the field names from _msg_field and _time_field; source="jsonline" without _stream_fields', async () => {
    const t = NOW_MS - 5000;
    const res = await app.inject({ method: 'POST', url: '/insert/jsonline?_msg_field=log&_time_field=ts', payload: JSON.stringify({ ts: String(t), log: 'hello', _msg: 'not this one' }) });
    expect(res.statusCode).toBe(204);
    const [log] = producer.payloads('logs').flatMap((p) => p.logs);
    expect(log).toMatchObject({ timeNs: ns(t), body: 'hello', stream: { source: 'jsonline' }, attributes: { _msg: 'not this one' } });
  });

  it('answers 400 naming the bad lines by number, and stores the good ones', async () => {
    const body = ['{"_msg":"ok 1"}', '{"_msg":', '[1,2]', '{"_msg":"bad time","_time":"yesterday"}', '{"_msg":"ok 2"}'].join('\n');
    const res = await app.inject({ method: 'POST', url: '/insert/jsonline', payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/^3 of 5 lines could not be read: line 2: .*; line 3: expected a JSON object; line 4: _time: "yesterday" is neither RFC 3339 nor a Unix timestamp/);
    expect(producer.payloads('logs').flatMap((p) => p.logs.map((l) => l.body))).toEqual(['ok 1', 'ok 2']);
  });
});

describe('POST /api/v1/import/events', () => {
  const first = NOW_MS - 60_000;
  const last = NOW_MS - 1_000;
  const kubectl = readFileSync(join(import.meta.dirname, 'data', 'kubectl-get-events.json'), 'utf8').replaceAll('${FIRST}', iso(first)).replaceAll('${LAST}', iso(last));

  it('accepts `kubectl get events -o json` as it is', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/import/events', payload: kubectl, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(204);
    expect(producer.payloads('events').flatMap((p) => p.events)).toEqual([
      {
        reason: 'BackOff',
        type: 'Warning',
        involvedObject: { kind: 'Pod', name: 'web-7d9f-abcde', namespace: 'shop', uid: '4f1c2d3e-0000-4000-8000-000000000001' },
        message: 'Back-off restarting failed container web in pod web-7d9f-abcde_shop(4f1c2d3e)',
        count: 3,
        firstSeenMs: first,
        lastSeenMs: last,
        source: 'kubelet',
        labels: {},
      },
      {
        reason: 'ScalingReplicaSet',
        type: 'Normal',
        involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop', uid: '4f1c2d3e-0000-4000-8000-000000000003' },
        message: 'Scaled up replica set web-7d9f to 3',
        count: 1,
        firstSeenMs: first,
        lastSeenMs: first,
        source: 'deployment-controller',
        labels: { app_kubernetes_io_name: 'web' },
      },
    ]);
  });

  it('names a bad item of a List by its index, and stores the others', async () => {
    const list = JSON.parse(kubectl) as { items: Record<string, unknown>[] };
    (list.items[1] as Record<string, unknown>).type = 'Error';
    const res = await app.inject({ method: 'POST', url: '/api/v1/import/events', payload: JSON.stringify(list, null, 2) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/^1 of 2 lines could not be read: items\[1\]\.type: /);
    expect(producer.payloads('events').flatMap((p) => p.events.map((e) => e.reason))).toEqual(['BackOff']);
  });

  it('accepts events.k8s.io/v1 Events and Vigil events as JSON lines', async () => {
    const v1 = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'x', namespace: 'ns' },
      eventTime: new Date(first).toISOString().replace('Z', '000Z'),
      series: { count: 4, lastObservedTime: iso(last) },
      reason: 'Unhealthy',
      type: 'Warning',
      regarding: { kind: 'Pod', name: 'p', namespace: 'ns' },
      note: 'Readiness probe failed',
      reportingController: 'kubelet',
      reportingInstance: 'node-2',
      action: 'Probe',
    };
    const own = { reason: 'Deployed', type: 'Normal', involvedObject: { kind: 'Deployment', name: 'd' }, message: 'ok', firstSeenMs: first, lastSeenMs: first };
    const res = await app.inject({ method: 'POST', url: '/api/v1/import/events', payload: `${JSON.stringify(v1)}\n${JSON.stringify(own)}\n` });
    expect(res.statusCode).toBe(204);
    const events = producer.payloads('events').flatMap((p) => p.events);
    expect(events[0]).toEqual({ reason: 'Unhealthy', type: 'Warning', involvedObject: { kind: 'Pod', name: 'p', namespace: 'ns', uid: '' }, message: 'Readiness probe failed', count: 4, firstSeenMs: first, lastSeenMs: last, source: 'kubelet', labels: {} });
    expect(events[1]).toMatchObject({ reason: 'Deployed', count: 1, source: '', labels: {} });
  });

  it.each([
    ['no reason', { type: 'Normal', involvedObject: { kind: 'Pod', name: 'p' }, firstTimestamp: '2026-01-01T00:00:00Z' }, /line 1\.reason/],
    ['an unknown type', { reason: 'R', type: 'Error', involvedObject: { kind: 'Pod', name: 'p' }, firstTimestamp: '2026-01-01T00:00:00Z' }, /line 1\.type/],
    ['no object', { reason: 'R', type: 'Normal', firstTimestamp: '2026-01-01T00:00:00Z' }, /line 1: a Kubernetes Event needs involvedObject/],
    ['no time', { reason: 'R', type: 'Normal', involvedObject: { kind: 'Pod', name: 'p' } }, /line 1: no time/],
    ['a bad time', { reason: 'R', type: 'Normal', involvedObject: { kind: 'Pod', name: 'p' }, firstTimestamp: 'yesterday' }, /line 1\.firstTimestamp/],
  ])('refuses an event with %s, naming the field', async (_name, event, message) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/import/events', payload: JSON.stringify(event) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(message);
    expect(producer.payloads('events')).toEqual([]);
  });
});
