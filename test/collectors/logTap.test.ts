import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogTap, pinoLineToLogRecord } from '../../collectors/index.js';
import type { LogRecord, WriteRequest } from '../../core/index.js';

const ctx = { job: 'vigil', hostname: 'box', nowMs: 1_700_000_000_500 };

describe('pino line → LogRecord', () => {
  it.each<{ name: string; line: string; want: Partial<LogRecord> }>([
    {
      name: 'an info line: message as body, other fields as attributes, level as stream label',
      line: '{"level":30,"time":1700000000123,"pid":42,"hostname":"box","app":"vigil","component":"writer","batch":3,"msg":"committed"}',
      want: {
        timeNs: 1_700_000_000_123_000_000n,
        observedTimeNs: 1_700_000_000_500_000_000n,
        severityNumber: 9,
        severityText: 'info',
        body: 'committed',
        stream: { job: 'vigil', level: 'info' },
        attributes: { component: 'writer', batch: 3 },
        resource: { 'service.name': 'vigil', 'host.name': 'box', 'process.pid': 42 },
        traceId: '',
        spanId: '',
      },
    },
    {
      name: 'an error with a serialised err object and trace context',
      line: '{"level":50,"time":1,"err":{"type":"Error","message":"boom","stack":"Error: boom"},"trace_id":"0123456789abcdef0123456789abcdef","span_id":"0123456789abcdef","msg":"failed"}',
      want: {
        timeNs: 1_000_000n,
        severityNumber: 17,
        severityText: 'error',
        stream: { job: 'vigil', level: 'error' },
        attributes: { err: { type: 'Error', message: 'boom', stack: 'Error: boom' }, trace_id: '0123456789abcdef0123456789abcdef', span_id: '0123456789abcdef' },
        traceId: '0123456789abcdef0123456789abcdef',
        spanId: '0123456789abcdef',
      },
    },
    { name: 'trace and fatal', line: '{"level":60,"msg":"x"}', want: { severityNumber: 21, severityText: 'fatal', timeNs: 1_700_000_000_500_000_000n } },
    { name: 'a malformed trace id is ignored', line: '{"level":10,"trace_id":"XYZ","msg":"t"}', want: { severityText: 'trace', traceId: '' } },
    { name: 'a line that is not JSON is kept as text', line: 'plain text\n', want: { body: 'plain text', severityText: 'info', attributes: {} } },
  ])('$name', ({ line, want }) => {
    expect(pinoLineToLogRecord(line, ctx)).toMatchObject(want);
  });
});

/** A logger writing through a tap, with everything written to `out` kept. */
function setup(opts: { maxQueue?: number; maxBatch?: number } = {}) {
  const out: string[] = [];
  const registry = new Registry();
  const tap = createLogTap({ registry, out: { write: (s: string) => out.push(s) }, hostname: 'box', flushIntervalMs: 5, ...opts });
  const logger = pino({ level: 'info', base: { app: 'vigil' } }, tap.stream);
  return { out, registry, tap, logger };
}

describe('log tap', () => {
  it('writes every line through and ships it as a LogRecord to the sink', async () => {
    const { out, tap, logger } = setup();
    const got: WriteRequest[] = [];
    logger.info({ component: 'ingest' }, 'before start');
    tap.start((req) => {
      got.push(req);
      return Promise.resolve();
    });
    logger.warn('after start');
    await tap.forceFlush();
    await tap.shutdown();
    expect(out).toHaveLength(2);
    const logs = got.flatMap((r) => r.logs);
    expect(logs.map((l) => [l.body, l.stream])).toEqual([
      ['before start', { job: 'vigil', level: 'info' }],
      ['after start', { job: 'vigil', level: 'warn' }],
    ]);
    expect(logs[0]?.attributes).toEqual({ component: 'ingest' });
    expect(got.every((r) => r.tenant === 'default' && r.series.length === 0)).toBe(true);
  });

  it('ships on its own timer', async () => {
    const { tap, logger } = setup();
    const got: LogRecord[] = [];
    tap.start((req) => {
      got.push(...req.logs);
      return Promise.resolve();
    });
    logger.info('tick');
    await new Promise((r) => setTimeout(r, 50));
    expect(got.map((l) => l.body)).toEqual(['tick']);
    await tap.shutdown();
  });

  it('sends batches of at most maxBatch records', async () => {
    const { tap, logger } = setup({ maxBatch: 3 });
    const sizes: number[] = [];
    for (let i = 0; i < 7; i++) logger.info(`line ${i}`);
    tap.start((req) => {
      sizes.push(req.logs.length);
      return Promise.resolve();
    });
    await tap.forceFlush();
    await tap.shutdown();
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('drops and counts records beyond the queue bound, and never blocks the logger', async () => {
    const { out, registry, tap, logger } = setup({ maxQueue: 5 });
    for (let i = 0; i < 8; i++) logger.info(`line ${i}`);
    const bodies: string[] = [];
    tap.start((req) => {
      bodies.push(...req.logs.map((l) => l.body));
      return Promise.resolve();
    });
    await tap.forceFlush();
    await tap.shutdown();
    expect(out).toHaveLength(8);
    expect(bodies).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(await registry.metrics()).toContain('vigil_self_logs_dropped_total{reason="queue_full"} 3');
  });

  it('does not ship lines logged while shipping, however deep in the sink they are logged', async () => {
    const { out, registry, tap, logger } = setup();
    const bodies: string[] = [];
    tap.start(async (req) => {
      logger.info('sink received a batch'); // would loop forever if it were queued
      await new Promise((r) => setTimeout(r, 1));
      logger.info('sink is still working');
      bodies.push(...req.logs.map((l) => l.body));
    });
    logger.info('first');
    await tap.forceFlush();
    logger.info('second');
    await new Promise((r) => setTimeout(r, 40));
    await tap.shutdown();
    expect(bodies).toEqual(['first', 'second']);
    expect(out).toHaveLength(6);
    expect(await registry.metrics()).toContain('vigil_self_logs_suppressed_total 4');
  });

  it('counts a failing sink as dropped records and carries on', async () => {
    const { registry, tap, logger } = setup();
    let fail = true;
    const bodies: string[] = [];
    tap.start((req) => {
      if (fail) return Promise.reject(new Error('bus down'));
      bodies.push(...req.logs.map((l) => l.body));
      return Promise.resolve();
    });
    logger.info('lost');
    logger.info('lost too');
    await tap.forceFlush();
    fail = false;
    logger.info('kept');
    await tap.forceFlush();
    await tap.shutdown();
    expect(bodies).toEqual(['kept']);
    expect(await registry.metrics()).toContain('vigil_self_logs_dropped_total{reason="sink_error"} 2');
  });

  it('flushes on shutdown, then only writes through', async () => {
    const { out, tap, logger } = setup();
    const bodies: string[] = [];
    tap.start((req) => {
      bodies.push(...req.logs.map((l) => l.body));
      return Promise.resolve();
    });
    logger.info('last words');
    await tap.shutdown();
    await tap.shutdown();
    logger.info('after the end');
    await tap.forceFlush();
    expect(bodies).toEqual(['last words']);
    expect(out).toHaveLength(2);
  });
});
