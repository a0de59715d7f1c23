/*
 * NAB sweep: npx tsx bench/nab/sweep.ts --data DIR [--detector NAME] CONFIG_JSON [CONFIG_JSON…]
 * Runs one detector over the corpus once per configuration (each a JSON object of overrides, e.g.
 * '{"evt":1,"evtRisk":1e-4}') and prints one line each: the three normalised profiles, the standard
 * score per category (threshold optimised within the category, as a check that a gain is not one
 * category's), the diagnosis totals (windows found, FP rows) and throughput of that single pass.
 * For comparing neighbouring settings quickly; bench/nab/run.ts remains the reference run.
 */
import { parseArgs } from 'node:util';
import type { CorpusFile, ScoredFile, StateValue } from '../../alerting/index.js';
import { createDetector, diagnose, loadCorpus, loadProfiles, scoreCorpus } from '../../alerting/index.js';

function run(kind: string, config: { [key: string]: StateValue }, corpus: readonly CorpusFile[]): { files: ScoredFile[]; pps: number } {
  let ms = 0;
  let points = 0;
  const files = corpus.map((file) => {
    const d = createDetector(kind, config);
    const n = file.values.length;
    const s = new Array<number>(n);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) s[i] = d.update(file.timestamps[i] as number, file.values[i] as number).score;
    ms += performance.now() - t0;
    points += n;
    return { name: file.name, timestamps: file.timestamps, windows: file.windows, scores: s };
  });
  return { files, pps: points / (ms / 1000) };
}

function category(name: string): string {
  const c = name.split('/')[0] ?? name;
  return c.startsWith('artificial') ? 'artificial' : c;
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { data: { type: 'string' }, detector: { type: 'string' }, files: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.data === undefined) throw new Error('usage: sweep.ts --data DIR [--detector NAME] CONFIG_JSON…');
  const corpus = loadCorpus(values.data);
  const profiles = loadProfiles(values.data);
  const std = profiles['standard'];
  const lowFp = profiles['reward_low_FP_rate'];
  const lowFn = profiles['reward_low_FN_rate'];
  if (std === undefined || lowFp === undefined || lowFn === undefined) throw new Error('profiles missing');
  const cats = [...new Set(corpus.map((f) => category(f.name)))];
  console.log(["config", "thr", "std", 'lowFP', 'lowFN', ...cats.map((c) => c.replace(/^real/, '')), 'found', 'FProws', 'pts/s'].join('\t'));
  for (const text of positionals.length > 0 ? positionals : ['{}']) {
    const config = JSON.parse(text) as { [key: string]: StateValue };
    const { files, pps } = run(values.detector ?? 'vigil-nab', config, corpus);
    const perCat = cats.map((c) => scoreCorpus(files.filter((f) => category(f.name) === c), std).normalized.toFixed(2));
    const diag = diagnose(files, std);
    const totals = diag[diag.length - 1] ?? '';
    const m = /(\d+)\/(\d+) windows detected.*?(\d+) FP rows/.exec(totals);
    console.log(
      [
        text,
        scoreCorpus(files, std).threshold.toFixed(3),
        scoreCorpus(files, std).normalized.toFixed(2),
        scoreCorpus(files, lowFp).normalized.toFixed(2),
        scoreCorpus(files, lowFn).normalized.toFixed(2),
        ...perCat,
        m === null ? '?' : `${m[1]}/${m[2]}`,
        m === null ? '?' : m[3],
        Math.round(pps).toLocaleString('en-US'),
      ].join('\t'),
    );
    if (values.files === true) for (const line of diag) console.log(`  ${line}`);
  }
}

main();
