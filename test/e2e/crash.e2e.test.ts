import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { points } from '../storage/samplePoints.js';
import { startVigil } from '../support/vigilProcess.js';

/**
 * Acknowledged data is durable: a client keeps sending while the process is killed with SIGKILL.
 * After a restart, every acknowledged sample and log record is present exactly once.
 * Each request carries its own series (label seq) and log stream lines, so presence and
 * duplication can be checked per request.
 */
const SAMPLES_PER_REQUEST = 50;

function metricsBody(seq: number, baseMs: number): string {
  const dataPoints = Array.from({ length: SAMPLES_PER_REQUEST }, (_, i) => ({
    attributes: [{ key: 'seq', value: { intValue: String(seq) } }],
    timeUnixNano: String(BigInt(baseMs + i) * 1_000_000n),
    asDouble: seq * 1000 + i,
  }));
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'crash-probe' } }] }, scopeMetrics: [{ metrics: [{ name: 'crash_probe', gauge: { dataPoints } }] }] }],
  });
}

function logsBody(seq: number, baseMs: number): string {
  const logRecords = Array.from({ length: 5 }, (_, i) => ({ timeUnixNano: String(BigInt(baseMs + i) * 1_000_000n), severityText: 'INFO', body: { stringValue: `probe ${seq}-${i}` } }));
  return JSON.stringify({
    resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'crash-probe' } }] }, scopeLogs: [{ logRecords }] }],
  });
}

describe('kill -9 while a client keeps sending', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged sample and log record exactly once', async () => {
    const first = await startVigil({ dataDir, env: { VIGIL_COLLECTORS__HOST__ENABLED: 'false' } });
    const acked: { seq: number; baseMs: number }[] = [];
    const t0 = Date.now();
    let killed = false;
    // Four concurrent senders, so the kill lands with requests in flight.
    const sender = async (lane: number): Promise<void> => {
      for (let n = 0; !killed; n++) {
        const seq = n * 4 + lane;
        const baseMs = t0 + seq * SAMPLES_PER_REQUEST;
        try {
          const m = await fetch(`${first.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: metricsBody(seq, baseMs) });
          const l = await fetch(`${first.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: logsBody(seq, baseMs) });
          if (m.status === 200 && l.status === 200) acked.push({ seq, baseMs });
        } catch {
          return; // connection refused or reset: the process is gone
        }
      }
    };
    const senders = [0, 1, 2, 3].map((lane) => sender(lane));
    await new Promise((r) => setTimeout(r, 2500));
    killed = true;
    await first.kill9();
    await Promise.all(senders);
    expect(acked.length).toBeGreaterThan(20);

    // Restart and wait until the writer has caught up with everything the bus holds.
    const second = await startVigil({ dataDir, env: { VIGIL_COLLECTORS__HOST__ENABLED: 'false' } });
    const want = acked.length;
    let seen = 0;
    for (let i = 0; i < 100 && seen < want; i++) {
      const res = await fetch(`${second.url}/api/v1/series?match[]=crash_probe&start=${(t0 - 1000) / 1000}&end=${(Date.now() + 600_000) / 1000}`);
      seen = ((await res.json()) as { data: unknown[] }).data.length;
      if (seen < want) await new Promise((r) => setTimeout(r, 200));
    }
    expect(await second.stop()).toBe(0);

    // Count in the store itself: the query API would hide duplicates at one timestamp.
    const store = new DuckDbStore({ path: join(dataDir, 'vigil.duckdb'), partitionMs: 24 * 3600_000, registry: new Registry(), logger: createLogger('silent') });
    await store.open();
    try {
      const q = store.querier('default', t0 - 1000, Date.now() + 600_000);
      const series = await q.selectSamples([{ type: '=', name: '__name__', value: 'crash_probe' }]);
      const bySeq = new Map(series.map((s) => [Number(s.labels.seq), points(s)]));
      const logs = await q.selectLogs({ matchers: [{ type: '=', name: 'job', value: 'crash-probe' }], direction: 'forward', limit: 1_000_000, startNs: BigInt(t0 - 1000) * 1_000_000n, endNs: BigInt(Date.now() + 600_000) * 1_000_000n });
      const lineCounts = new Map<string, number>();
      for (const l of logs) lineCounts.set(l.body, (lineCounts.get(l.body) ?? 0) + 1);

      const missing: number[] = [];
      const duplicated: number[] = [];
      for (const { seq, baseMs } of acked) {
        const samples = bySeq.get(seq) ?? [];
        const expected = Array.from({ length: SAMPLES_PER_REQUEST }, (_, i) => ({ t: baseMs + i, v: seq * 1000 + i }));
        if (samples.length > SAMPLES_PER_REQUEST) duplicated.push(seq);
        else if (JSON.stringify(samples) !== JSON.stringify(expected)) missing.push(seq);
        for (let i = 0; i < 5; i++) {
          const c = lineCounts.get(`probe ${seq}-${i}`) ?? 0;
          if (c === 0) missing.push(seq);
          if (c > 1) duplicated.push(seq);
        }
      }
      console.log(`crash test: ${acked.length} acknowledged requests (${acked.length * SAMPLES_PER_REQUEST} samples, ${acked.length * 5} log lines) checked after kill -9`);
      expect({ missing, duplicated }).toEqual({ missing: [], duplicated: [] });
      // Nothing beyond what was acknowledged or in flight at the kill: at most 4 unacknowledged requests per lane.
      expect(series.length).toBeLessThanOrEqual(acked.length + 4);
    } finally {
      await store.close();
    }
  }, 120_000);
});
