import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../../bin/index.js';
import { loadConfig } from '../../core/index.js';

/** Self-observability: with tracing.enabled, Vigil exports its own spans over OTLP/HTTP. */
describe('tracing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-tracing-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exports a span per HTTP request and per push to an OTLP/HTTP endpoint', async () => {
    // A real OTLP/HTTP endpoint: records what the exporter posts.
    const bodies: string[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('latin1')));
      req.on('end', () => {
        bodies.push(`${req.url ?? ''} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((ok) => collector.listen(0, '127.0.0.1', ok));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;

    const config = loadConfig({
      flags: {
        dataDir,
        roles: ['ingest', 'writer', 'query'],
        http: { host: '127.0.0.1', port: 0 },
        log: { level: 'silent' },
        collectors: { host: { enabled: false }, selfLogs: { enabled: false } },
        tracing: { enabled: true, otlpEndpoint: endpoint },
      },
    });
    const platform = await startPlatform(config);
    try {
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const res = await fetch(`${platform.url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'traced', gauge: { dataPoints: [{ timeUnixNano: String(nowNs), asDouble: 1 }] } }] }] }] }),
      });
      expect(res.status).toBe(200);
    } finally {
      await platform.stop(); // flushes the span exporter
      collector.close();
    }
    const exported = bodies.join('\n');
    expect(bodies.every((b) => b.startsWith('/v1/traces'))).toBe(true);
    expect(exported).toContain('ingest.push');
    expect(exported).toContain('POST /v1/metrics');
  });
});
