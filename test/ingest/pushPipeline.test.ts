import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Event, LogRecord, TimeSeries, WriteRequest } from '../../core/index.js';
import { createLogger, emptyWriteRequest, limitsSchema, sampleAgeLimitMs, VigilError } from '../../core/index.js';
import type { PushPipelineOptions } from '../../ingest/index.js';
import { createPushPipeline, prepareWrite, Rejections } from '../../ingest/index.js';
import { RecordingProducer } from './recordingProducer.js';

const NOW = 1_700_000_060_000;
const limits = limitsSchema.parse({ maxLogLineBytes: 64 });

function setup(overrides: Partial<PushPipelineOptions> = {}) {
  const producer = new RecordingProducer();
  const registry = new Registry();
  const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent'), now: () => NOW, ...overrides });
  return { producer, registry, pipeline };
}

const req = (parts: Partial<WriteRequest>): WriteRequest => ({ ...emptyWriteRequest('t1'), ...parts });
const series = (name: string, ...ts: number[]): TimeSeries => ({ labels: { __name__: name }, samples: ts.map((t) => ({ t, v: 1 })) });

function log(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeNs: BigInt(NOW) * 1_000_000n,
    observedTimeNs: BigInt(NOW) * 1_000_000n,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello',
    stream: { job: 'app' },
    attributes: {},
    resource: {},
    traceId: '',
    spanId: '',
    ...overrides,
  };
}

function event(overrides: Partial<Event> = {}): Event {
  return {
    reason: 'Started',
    type: 'Normal',
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: '' },
    message: 'started',
    count: 1,
    firstSeenMs: NOW - 1000,
    lastSeenMs: NOW,
    source: 'kubelet',
    labels: {},
    ...overrides,
  };
}

describe('push pipeline: sample timestamps', () => {
  it.each([
    ['NaN', NaN, 'timestamp NaN is not a finite number', 'bad_timestamp'],
    ['+Inf', Infinity, 'timestamp Infinity is not a finite number', 'bad_timestamp'],
    ['-Inf', -Infinity, 'timestamp -Infinity is not a finite number', 'bad_timestamp'],
    ['a fraction of a millisecond', NOW + 0.5, 'is not a whole number of milliseconds', 'bad_timestamp'],
    ['older than the max age (default: the 15-day retention)', NOW - 15 * 24 * 3600_000 - 1, 'is older than the accepted age of 1296000000 ms', 'too_old'],
    ['a year old', NOW - 365 * 24 * 3600_000, 'is older than the accepted age', 'too_old'],
    ['too far in the future', NOW + limits.maxFutureMs + 1, 'ms in the future', 'too_far_in_future'],
  ])('rejects %s, keeps the good samples of the same series, counts the reason', async (_name, bad, message, reason) => {
    const { pipeline, producer, registry } = setup();
    const result = await pipeline.push(req({ series: [series('up', NOW - 1, bad, NOW)] }));
    expect(result.accepted.samples).toBe(2);
    expect(result.rejected.samples).toBe(1);
    expect(result.errorMessage).toContain(message);
    expect(result.errorMessage).toContain('up:');
    expect(result.errorMessage).toContain(`(1 samples rejected: ${reason})`);
    expect(producer.payloads('metrics')[0]?.series).toEqual([series('up', NOW - 1, NOW)]);
    expect(await registry.getSingleMetricAsString('vigil_ingest_rejected_total')).toContain(`vigil_ingest_rejected_total{kind="samples",reason="${reason}"} 1`);
  });

  it.each([
    ['too old', NOW - 16 * 24 * 3600_000, 'too_old'],
    ['too far in the future', NOW + 11 * 60_000, 'too_far_in_future'],
  ])('rejects log records %s per record, counted by reason', async (_name, ms, reason) => {
    const { pipeline, registry } = setup();
    const result = await pipeline.push(req({ logs: [log(), log({ timeNs: BigInt(ms) * 1_000_000n })] }));
    expect(result).toMatchObject({ accepted: { logs: 1 }, rejected: { logs: 1 } });
    expect(result.errorMessage).toContain(`(1 logs rejected: ${reason})`);
    expect(await registry.getSingleMetricAsString('vigil_ingest_rejected_total')).toContain(`{kind="logs",reason="${reason}"} 1`);
  });

  it('honours a shorter configured maximum age', async () => {
    const { pipeline } = setup({ limits: { ...limits, maxSampleAgeMs: 3600_000 } });
    const result = await pipeline.push(req({ series: [series('up', NOW - 3600_001, NOW)] }));
    expect(result).toMatchObject({ accepted: { samples: 1 }, rejected: { samples: 1 } });
  });

  it('rejects the whole request with bad_data when no sample is left', async () => {
    const { pipeline, producer } = setup();
    const err = await pipeline.push(req({ series: [series('up', NaN)] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect(err).toMatchObject({ code: 'bad_data', message: 'all 1 records rejected: up: timestamp NaN is not a finite number (1 samples rejected: bad_timestamp)' });
    expect(producer.sent).toEqual([]);
  });

  it('rejects the whole request with limit_exceeded when only limits were hit', async () => {
    const { pipeline } = setup();
    const labels = Object.fromEntries([['__name__', 'wide'], ...Array.from({ length: 40 }, (_, i) => [`l${i}`, 'v'])]);
    await expect(pipeline.push(req({ series: [{ labels, samples: [{ t: NOW, v: 1 }] }] }))).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringContaining('series wide has 41 labels, more than the limit of 40') as unknown,
    });
  });

  it('counts what the receiver already rejected, and fails when that was everything', async () => {
    const { pipeline, registry } = setup();
    const pre = new Rejections();
    pre.add('samples', 'unsupported', 3, 'metric "x": delta temporality sums are not supported');
    await expect(pipeline.push(req({}), pre)).rejects.toMatchObject({ code: 'bad_data', message: expect.stringContaining('delta temporality') as unknown });
    expect(await registry.getSingleMetricAsString('vigil_ingest_rejected_total')).toContain('vigil_ingest_rejected_total{kind="samples",reason="unsupported"} 3');
  });
});

describe('push pipeline: logs and events', () => {
  it.each([
    ['a line over maxLogLineBytes', log({ body: 'x'.repeat(65) }), 'line of 65 bytes is longer than the limit of 64'],
    ['an invalid stream label name', log({ stream: { 'bad-name': 'x' } }), 'invalid label name "bad-name"'],
    ['a time far in the past', log({ timeNs: 1n }), 'is older than the accepted age'],
  ])('rejects %s as partial success', async (_name, bad, message) => {
    const { pipeline, producer } = setup();
    const result = await pipeline.push(req({ logs: [log(), bad] }));
    expect(result).toMatchObject({ accepted: { logs: 1 }, rejected: { logs: 1 } });
    expect(result.errorMessage).toContain(message);
    expect(producer.payloads('logs')[0]?.logs).toEqual([log()]);
  });

  it.each([
    ['an empty reason', event({ reason: '' }), 'reason is empty'],
    ['first seen after last seen', event({ firstSeenMs: NOW, lastSeenMs: NOW - 1 }), 'firstSeenMs is after lastSeenMs'],
    ['a non-finite time', event({ lastSeenMs: NaN }), 'lastSeenMs: timestamp NaN is not a finite number'],
  ])('rejects an event with %s', async (_name, bad, message) => {
    const { pipeline, producer } = setup();
    const result = await pipeline.push(req({ events: [event(), bad] }));
    expect(result).toMatchObject({ accepted: { events: 1 }, rejected: { events: 1 } });
    expect(result.errorMessage).toContain(message);
    expect(producer.sent.map((s) => [s.topic, s.key])).toEqual([['vigil.events', 't1']]);
  });
});

describe('push pipeline: publishing', () => {
  it('publishes one record per kind, keyed by tenant, and resolves after the producer acknowledged', async () => {
    const { pipeline, producer } = setup();
    const metadata = [{ metricFamilyName: 'up', type: 'gauge' as const, unit: '', help: '' }];
    const result = await pipeline.push(req({ series: [series('up', NOW)], metadata, logs: [log()], events: [event()] }));
    expect(result).toEqual({ accepted: { samples: 1, logs: 1, events: 1 }, rejected: { samples: 0, logs: 0, events: 0 }, errorMessage: '' });
    expect(producer.sent.map((s) => [s.topic, s.key, s.payload.kind])).toEqual([
      ['vigil.metrics', 't1', 'metrics'],
      ['vigil.logs', 't1', 'logs'],
      ['vigil.events', 't1', 'events'],
    ]);
    expect(producer.payloads('metrics')[0]).toEqual({ kind: 'metrics', tenant: 't1', series: [series('up', NOW)], metadata });
  });

  it('splits a large request into bounded records without losing or reordering samples', async () => {
    const { pipeline, producer } = setup({ recordBounds: { maxSamples: 100, maxEntries: 10, maxLogChars: 1000 } });
    const long = series('long', ...Array.from({ length: 250 }, (_, i) => NOW - 250 + i));
    const short = Array.from({ length: 30 }, (_, i) => series(`s${i}`, NOW));
    const logs = Array.from({ length: 25 }, (_, i) => log({ body: `line ${i}` }));
    await pipeline.push(req({ series: [long, ...short], logs }));
    const metrics = producer.payloads('metrics');
    expect(metrics.map((p) => p.series.reduce((n, s) => n + s.samples.length, 0))).toEqual([100, 100, 80]);
    expect(metrics.flatMap((p) => p.series.filter((s) => s.labels.__name__ === 'long').flatMap((s) => s.samples))).toEqual(long.samples);
    expect(metrics.flatMap((p) => p.series.filter((s) => s.labels.__name__ !== 'long'))).toEqual(short);
    expect(producer.payloads('logs').map((p) => p.logs.length)).toEqual([10, 10, 5]);
  });

  it('passes bus backpressure through and counts nothing as accepted', async () => {
    const { pipeline, producer, registry } = setup();
    producer.backpressure(250);
    await expect(pipeline.push(req({ series: [series('up', NOW)] }))).rejects.toMatchObject({ code: 'too_many_requests', retryAfterMs: 250 });
    expect(await registry.getSingleMetricAsString('vigil_ingest_accepted_total')).not.toMatch(/kind="samples"/);
    expect(await registry.getSingleMetricAsString('vigil_ingest_push_duration_seconds')).toMatch(/_count\{outcome="error"\} 1/);
  });

  it('drops metadata that cannot describe a series, keeps the rest', async () => {
    const { pipeline, producer } = setup();
    const good = { metricFamilyName: 'up', type: 'gauge' as const, unit: '', help: 'is it up' };
    const bad = [
      { metricFamilyName: 'not a name', type: 'gauge' as const, unit: '', help: '' },
      { metricFamilyName: 'x', type: 'bogus' as 'gauge', unit: '', help: '' },
    ];
    await pipeline.push(req({ series: [series('up', NOW)], metadata: [good, ...bad] }));
    expect(producer.payloads('metrics')[0]?.metadata).toEqual([good]);
  });

  it('refuses a request without a tenant', async () => {
    const { pipeline } = setup();
    await expect(pipeline.push({ ...req({ series: [series('up', NOW)] }), tenant: '' })).rejects.toMatchObject({ code: 'bad_data', message: 'write request has no tenant' });
  });

  it('accepts an empty request without publishing', async () => {
    const { pipeline, producer } = setup();
    expect(await pipeline.push(req({}))).toMatchObject({ accepted: { samples: 0, logs: 0, events: 0 } });
    expect(producer.sent).toEqual([]);
  });
});

describe('prepareWrite + publish: the two halves of push', () => {
  const context = { limits, nowMs: NOW, bounds: { maxSamples: 2, maxEntries: 10, maxLogChars: 1000 } };
  const tooOld = NOW - sampleAgeLimitMs(limits) - 1;

  it.each([
    { name: 'all valid', request: req({ series: [series('a', NOW, NOW + 1, NOW + 2)] }), records: 2, accepted: 3, rejected: 0, error: undefined },
    { name: 'partly valid', request: req({ series: [series('a', NOW), series('b', tooOld)] }), records: 1, accepted: 1, rejected: 1, error: undefined },
    { name: 'nothing valid', request: req({ series: [series('b', tooOld)] }), records: 0, accepted: 0, rejected: 1, error: 'bad_data' },
    { name: 'only a limit hit', request: req({ logs: [log({ body: 'x'.repeat(100) })] }), records: 0, accepted: 0, rejected: 1, error: 'limit_exceeded' },
    { name: 'no tenant', request: { ...req({ series: [series('a', NOW)] }), tenant: '' }, records: 0, accepted: 0, rejected: 0, error: 'bad_data' },
  ])('$name: returns $records records, never throws; publish gives what push gives', async (c) => {
    const prepared = prepareWrite(c.request, context);
    expect(prepared.topics.flatMap((t) => t.values)).toHaveLength(c.records);
    expect(prepared.accepted.samples + prepared.accepted.logs).toBe(c.accepted);
    expect(prepared.rejected.samples + prepared.rejected.logs).toBe(c.rejected);
    expect(prepared.error?.code).toBe(c.error);
    // The prepared form is plain data: it survives structured cloning, as across a worker boundary.
    const asPlainBytes = { ...prepared, topics: prepared.topics.map((t) => ({ ...t, values: t.values.map((v) => new Uint8Array(v)) })) };
    expect(structuredClone(prepared)).toEqual(asPlainBytes);

    const viaPublish = setup({ recordBounds: context.bounds });
    const viaPush = setup({ recordBounds: context.bounds });
    const outcome = (p: Promise<unknown>) => p.then((r) => ({ ok: r }), (err: unknown) => ({ err: err instanceof VigilError ? [err.code, err.message] : err }));
    const [published, pushed] = await Promise.all([outcome(viaPublish.pipeline.publish(prepared)), outcome(viaPush.pipeline.push(c.request))]);
    expect(published).toEqual(pushed);
    expect(viaPublish.producer.sent).toEqual(viaPush.producer.sent);
    for (const name of ['vigil_ingest_received_total', 'vigil_ingest_accepted_total', 'vigil_ingest_rejected_total']) {
      expect(await viaPublish.registry.getSingleMetricAsString(name)).toBe(await viaPush.registry.getSingleMetricAsString(name));
    }
  });
});
