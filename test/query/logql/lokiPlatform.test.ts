import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../../bin/index.js';
import { startPlatform } from '../../../bin/index.js';
import { loadConfig } from '../../../core/index.js';

/**
 * End to end in one process: OTLP/JSON logs posted to /v1/logs go through the bus and the writer
 * into DuckDB, and the query role answers them on /loki/api/v1 — the README's example.
 */
describe('Loki API on the platform', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-loki-'));
  let platform: Platform;
  const config = loadConfig({
    flags: {
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'silent' },
      collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
      director: { cpi: 'dummy', resurrection: false },
    },
  });
  beforeAll(async () => {
    platform = await startPlatform(config);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers OTLP logs through query_range once the writer committed them', async () => {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const record = (body: string, severityNumber: number, offset: bigint) => ({ timeUnixNano: String(nowNs - offset), severityNumber, body: { stringValue: body } });
    const payload = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
          scopeLogs: [{ logRecords: [record('order 1 failed: timeout duration=900ms', 17, 2_000_000n), record('order 2 done duration=20ms', 9, 1_000_000n)] }],
        },
      ],
    });
    const posted = await platform.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload });
    expect(posted.statusCode, posted.body).toBe(200);
    const query = new URLSearchParams({ query: '{job="checkout"} |= "timeout" | logfmt | duration > 500ms', since: '1h', limit: '50' });
    let body: { data: { resultType: string; result: { stream: Record<string, string>; values: [string, string][] }[] } } | undefined;
    // The writer commits within about 100 ms; poll until it has (bounded, not a timing assertion).
    for (let i = 0; i < 100 && (body?.data.result.length ?? 0) === 0; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await platform.app.inject({ method: 'POST', url: '/loki/api/v1/query_range', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: query.toString() });
      expect(res.statusCode, res.body).toBe(200);
      body = res.json();
    }
    expect(body?.data.resultType).toBe('streams');
    expect(body?.data.result).toEqual([{ stream: { job: 'checkout', level: 'error', duration: '900ms' }, values: [[String(nowNs - 2_000_000n), 'order 1 failed: timeout duration=900ms']] }]);
  });
});
