import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import type { StoredLogRecord } from '../../storage/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { VigilProcess } from '../support/vigilProcess.js';
import { freePort, startVigil } from '../support/vigilProcess.js';

const run = promisify(execFile);

/**
 * The log receivers end to end through the built CLI: util-linux `logger` sends syslog (RFC 5424
 * over TCP, RFC 3164 over UDP) to `vigil start --syslog-port`, a Loki client's JSON push arrives at
 * /loki/api/v1/push; after a clean stop the records read back from the DuckDB file are exactly
 * what was sent.
 */
describe('log ingest into the store (syslog, Loki push)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-logs-'));
  let vigil: VigilProcess;
  let syslogPort: number;
  const startMs = Date.now();

  beforeAll(async () => {
    syslogPort = await freePort();
    vigil = await startVigil({ dataDir, args: ['--syslog-port', String(syslogPort)] });
  });
  afterAll(async () => {
    await vigil?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes syslog from logger and a Loki push, and stores them when stopped', async () => {
    await run('logger', ['--rfc5424', '-T', '--octet-count', '-n', '127.0.0.1', '-P', String(syslogPort), '-t', 'e2e-tcp', '-p', 'user.notice', '--msgid', 'M1', '--', 'over tcp: ü "quoted"']);
    await run('logger', ['--rfc3164', '-d', '-n', '127.0.0.1', '-P', String(syslogPort), '-t', 'e2e-udp', '-p', 'local0.err', '--', 'over udp']);
    const ts = String(BigInt(Date.now() - 1000) * 1_000_000n);
    const push = await fetch(`${vigil.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streams: [{ stream: { job: 'e2e-loki', env: 'test' }, values: [[ts, 'loki line', { trace_id: 't1' }]] }] }),
    });
    expect(push.status).toBe(204);
    // UDP has no end to wait for: wait until the receiver counted both syslog messages.
    for (let i = 0; i < 100; i++) {
      const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
      if (/vigil_receiver_frames_total\{receiver="syslog",outcome="accepted"\} 2/.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await vigil.stop()).toBe(0);
  });

  it('stored exactly what was sent', async () => {
    const store = new DuckDbStore({ path: join(dataDir, 'vigil.duckdb'), partitionMs: 24 * 3600_000, registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    try {
      const querier = store.querier('default', startMs - 60_000, Date.now() + 60_000);
      const select = (name: string, value: string): Promise<StoredLogRecord[]> =>
        querier.selectLogs({ matchers: [{ type: '=', name, value }], direction: 'forward', limit: 100, startNs: BigInt(startMs - 60_000) * 1_000_000n, endNs: BigInt(Date.now() + 60_000) * 1_000_000n });
      const syslog = await select('source', 'syslog');
      const host = hostname();
      expect(syslog.map((r) => [r.body, r.stream, r.severityText]).sort()).toEqual([
        ['over tcp: ü "quoted"', { source: 'syslog', hostname: host, app_name: 'e2e-tcp', severity: 'notice', facility: 'user' }, 'notice'],
        ['over udp', { source: 'syslog', hostname: host, app_name: 'e2e-udp', severity: 'err', facility: 'local0' }, 'err'],
      ]);
      expect(syslog.find((r) => r.body.startsWith('over tcp'))?.attributes).toMatchObject({ msg_id: 'M1' });
      const loki = await select('job', 'e2e-loki');
      expect(loki.map((r) => [r.body, r.stream, r.attributes])).toEqual([['loki line', { job: 'e2e-loki', env: 'test' }, { trace_id: 't1' }]]);
    } finally {
      await store.close();
    }
  });
});
