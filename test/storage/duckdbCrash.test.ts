import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { CRASH_BULK, CRASH_GROUP, CRASH_PARTITION, CRASH_T0 } from './crashWriter.js';
import { points, valuesOf } from './samplePoints.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const dbPath = join(dir, 'vigil.duckdb');
/** Writers still running, killed after the suite whatever happened. */
const running = new Set<ChildProcess>();

/** Runs crashWriter.ts until it has printed `minBatches` offsets, then SIGKILLs it; returns the printed offsets. */
function runAndKill(minBatches: number, whileRunning: () => Promise<void> = async () => undefined): Promise<bigint[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crashWriter.ts'), dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const printed: bigint[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    let checked = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const before = printed.length;
      for (const line of lines) printed.push(BigInt(line));
      if (before === 0 && printed.length > 0) {
        whileRunning().then(
          () => (checked = true),
          (err: unknown) => {
            child.kill('SIGKILL');
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      }
      if (!killed && checked && printed.length >= minBatches) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      running.delete(child);
      if (signal === 'SIGKILL') resolve(printed);
      else reject(new Error(`crash writer exited on its own (${String(signal)}): ${stderr}`));
    });
  });
}

async function inspect(): Promise<{ committed: bigint; markers: number[]; bulkPerBatch: Map<string, number>; logs: string[] }> {
  const store = new DuckDbStore({ path: dbPath, registry: new Registry(), logger: pino({ level: 'silent' }) });
  await store.open();
  try {
    const committed = (await store.committedOffsets(CRASH_GROUP)).get(CRASH_PARTITION) ?? 0n;
    const q = store.querier('default', CRASH_T0, CRASH_T0 + 3600_000);
    const [marker] = await q.selectSamples([{ type: '=', name: '__name__', value: 'crash_marker' }]);
    const bulk = await q.selectSamples([{ type: '=', name: '__name__', value: 'crash_bulk' }]);
    const logs = await q.selectLogs({ matchers: [{ type: '=', name: 'job', value: 'crash' }], direction: 'forward', limit: 100_000 });
    return {
      committed,
      markers: valuesOf(marker),
      bulkPerBatch: new Map(bulk.map((s) => [s.labels['batch'] as string, points(s).length])),
      logs: logs.map((r) => r.body),
    };
  } finally {
    await store.close();
  }
}

describe('DuckDbStore survives kill -9', () => {
  afterAll(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every committed batch exactly once, with its offset, across two crashes', async () => {
    // While the writer runs, DuckDB's file lock keeps this process out with a clear error.
    const lockedOut = async (): Promise<void> => {
      const intruder = new DuckDbStore({ path: dbPath, registry: new Registry(), logger: pino({ level: 'silent' }) });
      await expect(intruder.open()).rejects.toMatchObject({ code: 'unavailable', message: /lock/i });
    };
    for (let round = 0; round < 2; round++) {
      const printed = await runAndKill(15, round === 0 ? lockedOut : undefined);
      const last = printed[printed.length - 1] as bigint;
      const { committed, markers, bulkPerBatch, logs } = await inspect();
      // Every offset printed was committed; at most one more batch committed before its offset was printed.
      expect(committed === last || committed === last + 1n).toBe(true);
      const n = Number(committed);
      // Data and offset are atomic: exactly the batches below the committed offset, each once.
      expect(markers).toEqual(Array.from({ length: n }, (_, k) => k));
      expect(bulkPerBatch.size).toBe(n);
      for (const count of bulkPerBatch.values()) expect(count).toBe(CRASH_BULK);
      expect(logs).toEqual(Array.from({ length: n }, (_, k) => `batch ${k}`));
      if (round === 1) expect(printed[0]).toBeGreaterThan(15n); // the second run resumed after the first run's offset
    }
  }, 60_000);
});
