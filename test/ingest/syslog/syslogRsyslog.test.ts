import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, limitsSchema } from '../../../core/index.js';
import type { LogRecord } from '../../../core/index.js';
import { createPushPipeline, SyslogReceiver } from '../../../ingest/index.js';
import { freePort } from '../../support/index.js';
import { RecordingProducer } from '../recordingProducer.js';

const run = promisify(execFile);

/**
 * rsyslog as a relay, the setup the README recommends for hosts that already run it: `logger`
 * sends to rsyslog's UDP input, rsyslog forwards over TCP with octet counting in RFC 5424
 * (RSYSLOG_SyslogProtocol23Format) to the receiver. rsyslogd runs in the foreground with its own
 * config and work directory, and is stopped by its PID.
 */
const producer = new RecordingProducer();
let receiver: SyslogReceiver;
let rsyslog: ChildProcess;
let inputPort: number;
const dir = mkdtempSync(join(tmpdir(), 'vigil-rsyslog-'));

async function received(): Promise<LogRecord[]> {
  await receiver.flush();
  return producer.payloads('logs').flatMap((p) => p.logs);
}

beforeAll(async () => {
  const registry = new Registry();
  const pipeline = createPushPipeline({ producer, limits: limitsSchema.parse({}), registry, logger: createLogger('silent') });
  receiver = new SyslogReceiver({ pipeline, tenant: 'default', host: '127.0.0.1', port: 0, maxMessageBytes: 8192, maxConnections: 4, registry, logger: createLogger('silent') });
  await receiver.start();
  inputPort = await freePort();
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}")`,
      'module(load="imudp")',
      `input(type="imudp" address="127.0.0.1" port="${inputPort}")`,
      `action(type="omfwd" target="127.0.0.1" port="${receiver.port}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
      '',
    ].join('\n'),
  );
  rsyslog = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: 'ignore' });
  // rsyslog's UDP input is up once a probe comes through; UDP sent before that is lost.
  for (let i = 0; i < 100; i++) {
    await run('logger', ['-d', '-n', '127.0.0.1', '-P', String(inputPort), '-t', 'probe', '--', `probe ${i}`]);
    await new Promise((r) => setTimeout(r, 100));
    if ((await received()).length > 0) break;
  }
  producer.sent.length = 0;
}, 30_000);
afterAll(async () => {
  if (rsyslog?.exitCode === null) {
    const exited = new Promise((r) => rsyslog.once('exit', r));
    rsyslog.kill('SIGTERM');
    await exited;
  }
  await receiver?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('logger → rsyslog (UDP in, RFC 5424 over TCP with octet counting out) → syslog receiver', () => {
  it('arrive with what logger sent', async () => {
    await run('logger', ['--rfc3164', '-d', '-n', '127.0.0.1', '-P', String(inputPort), '-t', 'relayed', '-p', 'local2.info', '--', 'via rsyslog']);
    await run('logger', ['--rfc5424', '-d', '-n', '127.0.0.1', '-P', String(inputPort), '-t', 'relayed5424', '-p', 'auth.warning', '--sd-id', 'x@1', '--sd-param', 'a="b"', '--', 'via rsyslog 5424']);
    let logs: LogRecord[] = [];
    for (let i = 0; i < 100 && logs.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      logs = (await received()).filter((l) => !l.body.includes('probe'));
    }
    const host = hostname();
    expect(logs.map((l) => [l.stream, l.body])).toEqual([
      // rsyslog keeps the space that followed "relayed:" in the RFC 3164 message as part of MSG.
      [{ source: 'syslog', hostname: host, app_name: 'relayed', severity: 'info', facility: 'local2' }, ' via rsyslog'],
      [{ source: 'syslog', hostname: host, app_name: 'relayed5424', severity: 'warning', facility: 'auth' }, 'via rsyslog 5424'],
    ]);
    expect(logs[1]?.attributes).toMatchObject({ structured_data: { 'x@1': { a: 'b' } } });
  });
});
