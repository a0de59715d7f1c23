/*
 * Bus record codec benchmark: npm run bench:codec
 *
 * Encodes and decodes one metrics bus record the shape of the ingest bench's requests (10k series
 * × 1 sample: 10 hosts × 10 metrics × 100 cpus), in the current layout (labels as a symbol table)
 * and in the v1 layout (one label object per series) that it replaced, and prints the time per
 * record, per sample, and the series-id cost the writer pays on top.
 */
import { serialize } from 'node:v8';
import type { TimeSeries } from '../../core/index.js';
import { checkSampleColumns, sampleColumnsSeriesIds, seriesId } from '../../core/index.js';
import { decodeBusRecord, encodePayload } from '../../ingest/index.js';

const series: TimeSeries[] = [];
for (let h = 0; h < 10; h++) {
  for (let m = 0; m < 10; m++) {
    for (let c = 0; c < 100; c++) series.push({ labels: { __name__: `bench_metric_${m}`, job: 'bench', instance: `host-${h}`, cpu: String(c) }, samples: [{ t: 1_795_000_000_000 + h, v: c * 0.5 }] });
  }
}

function v1Record(): Uint8Array {
  const n = series.length;
  const wire = { kind: 'metrics', tenant: 'default', labels: series.map((s) => s.labels), counts: new Uint32Array(n).fill(1), t: Float64Array.from(series, (s) => s.samples[0]?.t ?? 0), v: Float64Array.from(series, (s) => s.samples[0]?.v ?? 0), metadata: [] };
  return Buffer.concat([Buffer.from([1]), serialize(wire)]);
}

/** Mean milliseconds per call over `rounds` calls, after a warm-up of the same length. */
function time(rounds: number, fn: () => void): number {
  for (let i = 0; i < rounds; i++) fn();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return (performance.now() - start) / rounds;
}

const ROUNDS = 200;
const payload = { kind: 'metrics' as const, tenant: 'default', series, metadata: [] };
const current = encodePayload(payload);
const old = v1Record();
const rows: Array<[string, number, string]> = [
  ['encode (symbol table)', time(ROUNDS, () => encodePayload(payload)), `${(current.length / 1e3).toFixed(0)} kB`],
  ['decode (symbol table)', time(ROUNDS, () => decodeBusRecord(current)), ''],
  [
    'decode + check + series ids',
    time(ROUNDS, () => {
      const d = decodeBusRecord(current);
      if (d.kind === 'metrics') sampleColumnsSeriesIds(d.columns, checkSampleColumns(d.columns));
    }),
    '',
  ],
  ['decode (v1 label objects)', time(ROUNDS, () => decodeBusRecord(old)), `${(old.length / 1e3).toFixed(0)} kB (converted to columns)`],
  ['series ids of label objects', time(ROUNDS, () => series.forEach((s) => seriesId(s.labels))), 'seriesId() per series'],
];
console.log(`one metrics record: ${series.length.toLocaleString('en-US')} series × 1 sample`);
for (const [name, ms, note] of rows) console.log(`  ${name.padEnd(30)} ${ms.toFixed(2).padStart(7)} ms/record  ${((ms * 1e6) / series.length).toFixed(0).padStart(5)} ns/sample  ${note}`);
