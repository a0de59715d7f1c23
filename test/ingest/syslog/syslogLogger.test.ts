import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../../core/index.js';
import type { LogRecord } from '../../../core/index.js';
import { createPushPipeline, SyslogReceiver } from '../../../ingest/index.js';
import { RecordingProducer } from '../recordingProducer.js';

/**
 * util-linux `logger`, the syslog client every Linux host has, sends to the receiver over a real
 * socket: RFC 5424 over TCP (newline and octet-counting framing), RFC 3164 over UDP. What it sent
 * must be what the pipeline published.
 */
const producer = new RecordingProducer();
const registry = new Registry();
let receiver: SyslogReceiver;
let port: number;

beforeAll(async () => {
  const pipeline = createPushPipeline({ producer, limits: limitsSchema.parse({}), registry, logger: createLogger('silent') });
  receiver = new SyslogReceiver({ pipeline, tenant: 'default', host: '127.0.0.1', port: 0, maxMessageBytes: 8192, maxConnections: 16, registry, logger: createLogger('silent') });
  await receiver.start();
  port = receiver.port;
});
afterAll(async () => {
  await receiver.shutdown();
});

function logger(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = execFile('logger', args, (err) => (err === null ? resolve(child.pid ?? 0) : reject(err)));
  });
}

/** Waits until `count` records arrived (UDP has no end to wait for), then returns them all. */
async function published(count: number): Promise<LogRecord[]> {
  for (let i = 0; i < 200; i++) {
    await receiver.flush();
    const logs = producer.payloads('logs').flatMap((p) => p.logs);
    if (logs.length >= count) return logs;
    await new Promise((r) => setTimeout(r, 25));
  }
  return producer.payloads('logs').flatMap((p) => p.logs);
}

const host = hostname();

describe('util-linux logger → syslog receiver', () => {
  it.each([
    ['newline framing', []],
    ['octet counting', ['--octet-count']],
  ])('RFC 5424 over TCP with %s', async (_name, framing) => {
    producer.sent.length = 0;
    const before = Date.now();
    await logger(['--rfc5424', '-T', ...framing, '-n', '127.0.0.1', '-P', String(port), '-t', 'myapp', '-p', 'local3.warning', '--msgid', 'ID47', '--sd-id', 'meta@32473', '--sd-param', 'k="v \\"q\\""', '--', 'hello 5424: ü']);
    const [record, ...more] = await published(1);
    expect(more).toEqual([]);
    expect(record?.body).toBe('hello 5424: ü');
    expect(record?.stream).toEqual({ source: 'syslog', hostname: host, app_name: 'myapp', severity: 'warning', facility: 'local3' });
    expect(record?.severityNumber).toBe(13);
    expect(record?.severityText).toBe('warning');
    expect(record?.attributes).toMatchObject({ msg_id: 'ID47', structured_data: { 'meta@32473': { k: 'v "q"' } }, peer: '127.0.0.1' });
    // logger stamps microseconds; the record keeps them.
    const ms = Number((record?.timeNs ?? 0n) / 1_000_000n);
    expect(ms).toBeGreaterThanOrEqual(before - 1000);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('RFC 3164 over UDP', async () => {
    producer.sent.length = 0;
    const pid = await logger(['--rfc3164', '-d', '-n', '127.0.0.1', '-P', String(port), '-t', 'cron-job', '-i', '-p', 'daemon.err', '--', 'hello 3164']);
    const [record, ...more] = await published(1);
    expect(more).toEqual([]);
    expect(record?.body).toBe('hello 3164');
    expect(record?.stream).toEqual({ source: 'syslog', hostname: host, app_name: 'cron-job', severity: 'err', facility: 'daemon' });
    expect(record?.attributes).toMatchObject({ proc_id: String(pid) });
    expect(record?.severityNumber).toBe(17);
  });

  it('every line of a file, in order, over one TCP connection', async () => {
    producer.sent.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-syslog-'));
    try {
      const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)} "quoted" \\ [brackets]`);
      const file = join(dir, 'lines.txt');
      writeFileSync(file, `${lines.join('\n')}\n`);
      await logger(['--rfc5424', '-T', '--octet-count', '-n', '127.0.0.1', '-P', String(port), '-t', 'filer', '-f', file]);
      const records = await published(lines.length);
      expect(records.map((r) => r.body)).toEqual(lines);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts and skips a bad frame between good ones on one connection, and keeps the good ones', async () => {
    producer.sent.length = 0;
    const { createConnection } = await import('node:net');
    const socket = createConnection({ host: '127.0.0.1', port });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const big = 'y'.repeat(9000);
    socket.end(`<13>1 - h a - - - first\nnot syslog at all\n9000 ${big}<13>1 - h a - - - last\n`);
    await new Promise<void>((r) => socket.once('close', () => r()));
    const records = await published(2);
    expect(records.map((r) => r.body)).toEqual(['first', 'last']);
    const metrics = await registry.getSingleMetricAsString('vigil_receiver_frames_total');
    expect(metrics).toMatch(/vigil_receiver_frames_total\{receiver="syslog",outcome="invalid"\} [1-9]/);
    expect(metrics).toMatch(/vigil_receiver_frames_total\{receiver="syslog",outcome="too_large"\} [1-9]/);
  });
});

describe('connection limit', () => {
  it('closes connections beyond maxConnections on arrival and counts them; the others keep working', async () => {
    const reg = new Registry();
    const limited = new RecordingProducer();
    const pipeline = createPushPipeline({ producer: limited, limits: limitsSchema.parse({}), registry: reg, logger: createLogger('silent') });
    const small = new SyslogReceiver({ pipeline, tenant: 'default', host: '127.0.0.1', port: 0, maxMessageBytes: 1024, maxConnections: 2, registry: reg, logger: createLogger('silent') });
    await small.start();
    const { createConnection } = await import('node:net');
    const open = async () => {
      const s = createConnection({ host: '127.0.0.1', port: small.port });
      await new Promise<void>((r) => s.once('connect', () => r()));
      return s;
    };
    try {
      const kept = [await open(), await open()];
      await new Promise((r) => setTimeout(r, 50)); // let the server register both before the third arrives
      const refused = await open();
      await new Promise<void>((r) => refused.once('close', () => r()));
      for (const [i, s] of kept.entries()) s.end(`<13>1 - h a - - - kept ${i}\n`);
      await Promise.all(kept.map((s) => new Promise<void>((r) => s.once('close', () => r()))));
      await small.flush();
      expect(limited.payloads('logs').flatMap((p) => p.logs.map((l) => l.body)).sort()).toEqual(['kept 0', 'kept 1']);
      expect(await reg.getSingleMetricAsString('vigil_receiver_connections_refused_total')).toMatch(/\{receiver="syslog"\} 1/);
    } finally {
      await small.shutdown();
    }
  });
});

describe('syslog over TLS (RFC 5425)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-syslog-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const tlsProducer = new RecordingProducer();
  let tlsReceiver: SyslogReceiver;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const reg = new Registry();
    const pipeline = createPushPipeline({ producer: tlsProducer, limits: limitsSchema.parse({}), registry: reg, logger: createLogger('silent') });
    tlsReceiver = new SyslogReceiver({ pipeline, tenant: 't1', host: '127.0.0.1', port: 0, tls: { cert: readFileSync(cert), key: readFileSync(key) }, maxMessageBytes: 8192, maxConnections: 4, registry: reg, logger: createLogger('silent') });
    await tlsReceiver.start();
  });
  afterAll(async () => {
    await tlsReceiver.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads octet-counted messages over a verified TLS connection', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: tlsReceiver.port, ca: readFileSync(cert) });
    await new Promise<void>((r, j) => {
      socket.once('secureConnect', () => r());
      socket.once('error', j);
    });
    const now = new Date().toISOString();
    const msgs = [`<14>1 ${now} h app - - - over tls`, `<14>1 ${now} h app - - - second`];
    socket.end(msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
    await new Promise<void>((r) => socket.once('close', () => r()));
    await tlsReceiver.flush();
    const sent = tlsProducer.sent.filter((s) => s.payload.kind === 'logs');
    expect(sent.map((s) => s.key)).toEqual(['t1']);
    expect(tlsProducer.payloads('logs').flatMap((p) => p.logs.map((l) => l.body))).toEqual(['over tls', 'second']);
  });
});
