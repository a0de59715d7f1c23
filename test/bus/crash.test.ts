import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consume, makeTempDir, openBus, text } from './busHarness.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = resolve(import.meta.dirname, 'fixtures/crashProducer.ts');

/**
 * Runs the producer fixture until it has printed `acks` acknowledgements, then kills it with
 * SIGKILL mid-stream; returns the acknowledged sequence numbers.
 */
async function produceAndKill(dir: string, firstSeq: number, acks: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, String(firstSeq)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`producer printed ${acked.length} acks in time; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
      if (acked.length >= acks && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
        clearTimeout(timer);
        done();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (acked.length < acks) fail(new Error(`producer exited early; stderr: ${stderr}`));
    });
  });
  expect(await exited).toBe('SIGKILL');
  // Acks still in the pipe when the kill landed were acknowledged too.
  for (const line of buffered.split('\n')) if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
  return acked;
}

describe('embedded bus: crash safety', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(async () => cleanup());

  it('keeps every acknowledged record exactly once across kill -9 mid-stream (twice), with no garbage', async () => {
    const acked = [...(await produceAndKill(dir, 0, 400)), ...(await produceAndKill(dir, 1_000_000, 400))];

    const { bus } = await openBus(dir);
    const [stats] = await bus.stats();
    const end = Number(stats?.endOffset ?? 0);
    expect(end).toBeGreaterThanOrEqual(acked.length);
    const records = (await consume(bus, { group: 'check', topics: ['crash'], maxBatchRecords: 500 }, end)).flatMap((b) => b.records);
    expect(records.map((r) => Number(r.offset))).toEqual(Array.from({ length: end }, (_, i) => i));

    const count = new Map<number, number>();
    for (const r of records) {
      const body = text(r.value);
      const m = /^seq:(\d+):/.exec(body);
      expect(m, `record ${r.offset} is not a producer record`).not.toBeNull();
      const seq = Number(m?.[1]);
      expect(r.key).toBe(`tenant-${seq % 3}`);
      const length = 200 + ((seq * 7919) % 12_000);
      expect(body).toBe(`seq:${seq}:`.padEnd(length, String.fromCharCode(97 + (seq % 26))));
      count.set(seq, (count.get(seq) ?? 0) + 1);
    }
    const missing = acked.filter((seq) => count.get(seq) !== 1);
    expect(missing).toEqual([]);
    await bus.shutdown();
  });
});
