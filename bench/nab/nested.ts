/*
 * The default detector's honest NAB figure: nested cross-validation over a small grid of its knobs
 * (alerting/anomaly/nab/nestedCv.ts). Run alone: npx tsx bench/nab/nested.ts --data DIR; run.ts
 * prints the same report for the default detector.
 */
import { parseArgs } from 'node:util';
import type { CorpusFile, CostProfile, CvCandidate, NestedCvResult, StateValue } from '../../alerting/index.js';
import { DEFAULT_DETECTOR, createDetector, loadCorpus, loadProfiles, nestedCrossValidation } from '../../alerting/index.js';

/**
 * The grid: each knob at its default and at a quarter and four times it (a factor of 4 each way is a
 * different operating point, not a fine tune). The default's own cell comes first, so ties keep it.
 */
export const GRID: { [knob: string]: number[] } = {
  react: [1, 0.25, 4],
  memory: [48, 12, 192],
  quiet: [4, 1, 16],
};

export function gridConfigs(): { [key: string]: number }[] {
  let out: { [key: string]: number }[] = [{}];
  for (const [knob, values] of Object.entries(GRID)) out = out.flatMap((c) => values.map((v) => ({ ...c, [knob]: v })));
  return out;
}

export function runScores(kind: string, config: { [key: string]: StateValue }, corpus: readonly CorpusFile[]): number[][] {
  return corpus.map((file) => {
    const d = createDetector(kind, config);
    return file.values.map((v, i) => d.update(file.timestamps[i] as number, v).score);
  });
}

export function nestedReport(
  corpus: readonly CorpusFile[],
  profile: CostProfile,
  kind = DEFAULT_DETECTOR,
  base: { [key: string]: number } = {},
): { result: NestedCvResult; lines: string[]; fixed: NestedCvResult } {
  const candidates: CvCandidate[] = gridConfigs().map((config) => ({ label: JSON.stringify(config), scores: runScores(kind, { ...base, ...config }, corpus) }));
  const result = nestedCrossValidation(corpus, candidates, profile);
  const lines = result.folds.map(
    (f) => `  held out ${f.group.padEnd(20)} ${f.normalized.toFixed(2).padStart(7)} (${f.windows} windows)  chosen on the rest: ${f.chosen} threshold ${f.threshold.toFixed(4)}`,
  );
  lines.push(`  the same rule on all categories picks ${result.chosenOnAll} (the default is ${JSON.stringify(gridConfigs()[0])})`);
  const fixed = nestedCrossValidation(corpus, candidates.slice(0, 1), profile);
  lines.push(`  the default alone (no configuration chosen, only each threshold chosen on the other categories): ${fixed.normalized.toFixed(2)}`);
  for (const f of fixed.folds) lines.push(`    held out ${f.group.padEnd(20)} ${f.normalized.toFixed(2).padStart(7)} at threshold ${f.threshold.toFixed(4)}`);
  return { result, lines, fixed };
}

function main(): void {
  const { values } = parseArgs({ options: { data: { type: 'string' }, detector: { type: 'string' }, base: { type: 'string' } } });
  if (values.data === undefined) {
    console.error('usage: npx tsx bench/nab/nested.ts --data DIR [--detector NAME] [--base JSON]');
    process.exitCode = 2;
    return;
  }
  const corpus = loadCorpus(values.data);
  const standard = loadProfiles(values.data)['standard'];
  if (standard === undefined) throw new Error('no standard profile');
  const { result, lines } = nestedReport(corpus, standard, values.detector ?? DEFAULT_DETECTOR, values.base === undefined ? {} : (JSON.parse(values.base) as { [key: string]: number }));
  console.log(`nested CV (standard, ${gridConfigs().length} configurations): ${result.normalized.toFixed(2)}`);
  for (const l of lines) console.log(l);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
