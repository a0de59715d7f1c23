import { createConnection } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../../core/index.js';
import type { PlaintextFormat } from '../../../ingest/index.js';
import { createPushPipeline, PlaintextReceiver, plaintextImportRoutes } from '../../../ingest/index.js';
import { RecordingProducer } from '../recordingProducer.js';

const NOW_MS = Date.now();
const T = Math.floor(NOW_MS / 1000) - 10;
const producer = new RecordingProducer();
const registry = new Registry();
const limits = limitsSchema.parse({});
const pipeline = createPushPipeline({ producer, limits, registry, logger: createLogger('silent') });

function published(): [Record<string, string>, number, number][] {
  return producer.payloads('metrics').flatMap((p) => p.series.map((s): [Record<string, string>, number, number] => [{ ...s.labels }, s.samples[0]?.t ?? 0, s.samples[0]?.v ?? 0]));
}

beforeEach(() => {
  producer.sent.length = 0;
  producer.backpressure(undefined);
});

describe.each<[PlaintextFormat, string, [Record<string, string>, number, number][]]>([
  [
    'graphite',
    `servers.web1.cpu 1.5 ${T}\n# a comment\nnot a line\ndisk.used;dc=eu 7 ${T}\r\n`,
    [
      [{ __name__: 'servers_web1_cpu' }, T * 1000, 1.5],
      [{ __name__: 'disk_used', dc: 'eu' }, T * 1000, 7],
    ],
  ],
  [
    'wavefront',
    `cpu.idle 99 ${T} source=web1 env="prod"\nbad line here\nmem.free 12 ${T} host=web2\n`,
    [
      [{ __name__: 'cpu_idle', source: 'web1', env: 'prod' }, T * 1000, 99],
      [{ __name__: 'mem_free', source: 'web2' }, T * 1000, 12],
    ],
  ],
])('%s', (format, body, expected) => {
  let receiver: PlaintextReceiver;
  let app: FastifyInstance;
  beforeAll(async () => {
    receiver = new PlaintextReceiver({ format, pipeline, tenant: 'default', host: '127.0.0.1', port: 0, maxLineBytes: 4096, maxConnections: 8, registry, logger: createLogger('silent') });
    await receiver.start();
    app = Fastify({ logger: false });
    await app.register(plaintextImportRoutes, { pipeline, limits, defaultTenant: 'default', registry });
    await app.ready();
  });
  afterAll(async () => {
    await receiver.shutdown();
    await app.close();
  });

  it('over TCP: stores the good lines, counts and skips the bad one', async () => {
    const socket = createConnection({ host: '127.0.0.1', port: receiver.port });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // Split mid-line, as TCP may deliver it.
    socket.write(body.slice(0, 10));
    socket.end(body.slice(10));
    await new Promise<void>((r) => socket.once('close', () => r()));
    await receiver.flush();
    expect(published()).toEqual(expected);
    expect(await registry.getSingleMetricAsString('vigil_receiver_frames_total')).toMatch(new RegExp(`receiver="${format}",outcome="invalid"\\} 1`));
  });

  it('over HTTP: 400 naming the bad line by number, the good lines stored', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/import/${format}`, payload: body, headers: { 'content-type': 'text/plain', 'x-scope-orgid': 'team-b' } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/^1 of 3 lines could not be parsed: line [23]: (graphite|wavefront) line "(not a line|bad line here)"/);
    expect(published()).toEqual(expected);
    expect(producer.sent.map((s) => s.key)).toEqual(['team-b']);
  });

  it('over HTTP: 204 when every line is good, 429 with Retry-After on backpressure', async () => {
    const good = body.split('\n').filter((l) => !l.includes('bad') && !l.includes('not a line')).join('\n');
    expect((await app.inject({ method: 'POST', url: `/api/v1/import/${format}`, payload: good })).statusCode).toBe(204);
    producer.backpressure(2000);
    const res = await app.inject({ method: 'POST', url: `/api/v1/import/${format}`, payload: good });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
  });
});

describe('TCP backpressure', () => {
  it('keeps every line while the bus pushes back, and stores them once it takes them', async () => {
    const receiver = new PlaintextReceiver({ format: 'graphite', pipeline, tenant: 'default', host: '127.0.0.1', port: 0, maxLineBytes: 4096, maxConnections: 8, registry, logger: createLogger('silent') });
    await receiver.start();
    try {
      producer.backpressure(50);
      const lines = Array.from({ length: 30_000 }, (_, i) => `bp.m${i % 100} ${i} ${T}`);
      const socket = createConnection({ host: '127.0.0.1', port: receiver.port });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write(`${lines.join('\n')}\n`);
      // Let the pushes fail a few times, then let the bus take them.
      await new Promise((r) => setTimeout(r, 300));
      expect(producer.sent).toEqual([]);
      producer.backpressure(undefined);
      socket.end();
      await new Promise<void>((r) => socket.once('close', () => r()));
      await receiver.flush();
      expect(published().map(([, , v]) => v)).toEqual(lines.map((_, i) => i));
    } finally {
      await receiver.shutdown();
    }
  });
});
