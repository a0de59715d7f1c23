/*
 * NAB harness: npm run bench:nab -- --data DIR --out OUT [--detector NAME[,NAME…]] [--diagnose] [--no-nested]
 * Runs each detector over every DIR/data/<category>/<file>.csv in streaming order, writes
 * OUT/<category>/<file>.csv (timestamp,value,anomaly_score,lower,upper for the first detector named
 * — the default detector when none is — plus score_<name> for every other), scores every detector
 * against DIR/labels/combined_windows.json under each profile of DIR/config/profiles.json, and
 * prints the normalised scores and throughput. With --diagnose, it also prints, for the first
 * detector named, every window's first detection or miss and every false-positive row at the
 * standard profile's optimised threshold (see alerting/anomaly/nab/diagnose.ts).
 *
 * For the default detector it first prints its honest figures, in this order: the nested
 * cross-validation score (nested.ts: each category scored with a configuration and threshold chosen
 * on the others), the in-sample 43-file score, the synthetic families NAB lacks (familiesReport.ts),
 * points/s, and the distribution of serialised state bytes per series. --no-nested skips the
 * nested cross-validation (27 passes over the corpus).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CorpusFile, CostProfile, ScoredFile, StreamingDetector } from '../../alerting/index.js';
import { DEFAULT_DETECTOR, createDetector, detectorNames, diagnose, loadCorpus, loadProfiles, scoreCorpus, serializeSnapshot } from '../../alerting/index.js';
import { familiesReport } from './familiesReport.js';
import { gridConfigs, nestedReport } from './nested.js';

interface Run {
  name: string;
  scores: number[][];
  lower: number[][];
  upper: number[][];
  points: number;
  pointsPerSecond: number;
  /** Serialised snapshot bytes of each file's detector after its last point. */
  stateBytes: number[];
}

/**
 * The first pass over the corpus produces the scores and warms the JIT; then up to three more are
 * timed (detectors are deterministic, so their scores are identical) and the best is reported, as
 * the machine may be shared. Throughput is points over the time spent inside update() only — no
 * I/O — on this one thread.
 */
function runDetector(name: string, corpus: readonly CorpusFile[]): Run {
  const first = pass(name, corpus);
  let best = 0;
  let spent = 0;
  for (let i = 0; i < 3 && spent < 3; i++) {
    const timed = pass(name, corpus);
    best = Math.max(best, timed.pointsPerSecond);
    spent += timed.points / timed.pointsPerSecond;
  }
  return { ...first, pointsPerSecond: best };
}

function pass(name: string, corpus: readonly CorpusFile[]): Run {
  const scores: number[][] = [];
  const lower: number[][] = [];
  const upper: number[][] = [];
  let points = 0;
  let ms = 0;
  const stateBytes: number[] = [];
  for (const file of corpus) {
    const n = file.values.length;
    const s = new Array<number>(n);
    const lo = new Array<number>(n);
    const hi = new Array<number>(n);
    const d: StreamingDetector = createDetector(name);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = d.update(file.timestamps[i] as number, file.values[i] as number);
      s[i] = r.score;
      lo[i] = r.lower;
      hi[i] = r.upper;
    }
    ms += performance.now() - t0;
    stateBytes.push(Buffer.byteLength(serializeSnapshot(d.snapshot())));
    points += n;
    scores.push(s);
    lower.push(lo);
    upper.push(hi);
  }
  return { name, scores, lower, upper, points, pointsPerSecond: points / (ms / 1000), stateBytes };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** No band yet (learning) is an empty cell, not "NaN". */
function cell(x: number | undefined): string {
  return x !== undefined && Number.isFinite(x) ? String(x) : '';
}

function writeOutputs(out: string, corpus: readonly CorpusFile[], runs: readonly Run[]): void {
  const [main, ...rest] = runs;
  if (main === undefined) return;
  corpus.forEach((file, f) => {
    const path = join(out, file.name);
    mkdirSync(dirname(path), { recursive: true });
    const header = ['timestamp', 'value', 'anomaly_score', 'lower', 'upper', ...rest.map((r) => `score_${r.name}`)];
    const lines = [header.join(',')];
    for (let i = 0; i < file.values.length; i++) {
      const row = [
        iso(file.timestamps[i] as number),
        String(file.values[i]),
        String(main.scores[f]?.[i]),
        cell(main.lower[f]?.[i]),
        cell(main.upper[f]?.[i]),
        ...rest.map((r) => String(r.scores[f]?.[i])),
      ];
      lines.push(row.join(','));
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** The default detector's figures, the honest one first (see the header comment). */
function defaultSummary(corpus: readonly CorpusFile[], standard: CostProfile, run: Run, nested: boolean): void {
  console.log(`\n${DEFAULT_DETECTOR} (default detector)`);
  if (nested) {
    const { result, lines } = nestedReport(corpus, standard);
    console.log(`nested cross-validation, standard profile (${gridConfigs().length} configurations, chosen per held-out category on the others): ${result.normalized.toFixed(2)}`);
    for (const l of lines) console.log(l);
  }
  const files: ScoredFile[] = corpus.map((c, f) => ({ name: c.name, timestamps: c.timestamps, windows: c.windows, scores: run.scores[f] ?? [] }));
  const inSample = scoreCorpus(files, standard);
  console.log(`in-sample, ${corpus.length} development files, standard profile: ${inSample.normalized.toFixed(2)} (threshold ${inSample.threshold.toFixed(4)})`);
  console.log('synthetic families (alert level 0.5; 3 seeds each; the steps at scales 1e-3, 1 and 1e6; the peer is the NAB-fitted v1):');
  for (const l of familiesReport([DEFAULT_DETECTOR, 'vigil-nab'])) console.log(l);
  console.log(`points/s (one core, best warm pass): ${Math.round(run.pointsPerSecond).toLocaleString('en-US')}`);
  const bytes = [...run.stateBytes].sort((a, b) => a - b);
  console.log(
    `serialised state per series (bytes, over ${bytes.length} files): min ${bytes[0]}, median ${quantile(bytes, 0.5)}, p95 ${quantile(bytes, 0.95)}, max ${bytes[bytes.length - 1]}`,
  );
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      detector: { type: 'string' },
      diagnose: { type: 'boolean' },
      'no-nested': { type: 'boolean' },
    },
  });
  if (values.data === undefined || values.out === undefined) {
    console.error('usage: npm run bench:nab -- --data DIR --out OUT [--detector NAME[,NAME…]] [--diagnose] [--no-nested]');
    process.exitCode = 2;
    return;
  }
  const names =
    values.detector === undefined
      ? [DEFAULT_DETECTOR, ...detectorNames.filter((n) => n !== DEFAULT_DETECTOR)]
      : values.detector.split(',').map((s) => s.trim());
  for (const n of names) if (!detectorNames.includes(n)) throw new RangeError(`unknown detector ${n}; known: ${detectorNames.join(', ')}`);

  const corpus = loadCorpus(values.data);
  const profiles = loadProfiles(values.data);
  const profileNames = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'].filter((p) => p in profiles);
  const windows = corpus.reduce((s, f) => s + f.windows.length, 0);
  const totalPoints = corpus.reduce((s, f) => s + f.values.length, 0);
  console.log(`NAB: ${corpus.length} files, ${windows} windows, ${totalPoints} points`);

  const runs: Run[] = [];
  const header = `${'detector'.padEnd(20)}${profileNames.map((p) => p.padStart(20)).join('')}${'points/s'.padStart(14)}`;
  console.log(header);
  for (const name of names) {
    const run = runDetector(name, corpus);
    runs.push(run);
    const cells = profileNames.map((p) => {
      const files: ScoredFile[] = corpus.map((c, f) => ({ name: c.name, timestamps: c.timestamps, windows: c.windows, scores: run.scores[f] ?? [] }));
      const profile = profiles[p];
      if (profile === undefined) return '';
      return scoreCorpus(files, profile).normalized.toFixed(2).padStart(20);
    });
    const label = name === DEFAULT_DETECTOR ? `${name} (default)` : name;
    console.log(`${label.padEnd(20)}${cells.join('')}${Math.round(run.pointsPerSecond).toLocaleString('en-US').padStart(14)}`);
  }
  const first = runs[0];
  const standard = profiles['standard'];
  const mainRun = runs.find((r) => r.name === DEFAULT_DETECTOR);
  if (mainRun !== undefined && standard !== undefined) defaultSummary(corpus, standard, mainRun, values['no-nested'] !== true);
  if (values.diagnose === true && first !== undefined && standard !== undefined) {
    console.log(`\n${first.name} at its standard-profile threshold (window cells: rows after the window's start / width):`);
    const files: ScoredFile[] = corpus.map((c, f) => ({ name: c.name, timestamps: c.timestamps, windows: c.windows, scores: first.scores[f] ?? [] }));
    for (const line of diagnose(files, standard)) console.log(line);
  }
  writeOutputs(values.out, corpus, runs);
  console.log(`wrote ${corpus.length} files under ${values.out}`);
}

main();
