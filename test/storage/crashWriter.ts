import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DuckDbStore } from '../../storage/duckdb/index.js';

/**
 * Child process of duckdbCrash.test.ts: commits numbered batches forever, resuming after the
 * committed offset, and prints each committed offset once commit() has resolved. The parent
 * kills it with SIGKILL at an arbitrary moment.
 *
 * Batch k holds one sample of `crash_marker` at T0 + k (to count exactly-once) and
 * BULK samples of `crash_bulk{batch="k"}`, so a kill is likely to land inside a commit.
 */
export const CRASH_T0 = Date.UTC(2026, 0, 1);
export const CRASH_BULK = 2000;
export const CRASH_GROUP = 'crash-test';
export const CRASH_PARTITION = 'vigil.metrics/0';

async function main(path: string): Promise<void> {
  const store = new DuckDbStore({ path, registry: new Registry(), logger: pino({ level: 'silent' }) });
  await store.open();
  let next = (await store.committedOffsets(CRASH_GROUP)).get(CRASH_PARTITION) ?? 0n;
  const bulkValues = Array.from({ length: CRASH_BULK }, (_, i) => i);
  for (;;) {
    const k = Number(next);
    const a = store.appender();
    a.appendSeries('default', { labels: { __name__: 'crash_marker' }, samples: [{ t: CRASH_T0 + k, v: k }] });
    a.appendSeries('default', { labels: { __name__: 'crash_bulk', batch: String(k) }, samples: bulkValues.map((v) => ({ t: CRASH_T0 + v, v })) });
    a.appendLogs('default', [
      { timeNs: BigInt(CRASH_T0 + k) * 1_000_000n, observedTimeNs: 0n, severityNumber: 9, severityText: '', body: `batch ${k}`, stream: { job: 'crash' }, attributes: {}, resource: {}, traceId: '', spanId: '' },
    ]);
    a.setOffset(CRASH_GROUP, CRASH_PARTITION, next + 1n);
    await a.commit();
    next += 1n;
    process.stdout.write(`${next}\n`);
  }
}

if (process.argv[2] !== undefined) await main(process.argv[2]);
