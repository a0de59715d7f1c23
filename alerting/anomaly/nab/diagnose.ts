import type { CostProfile, ScoredFile } from './scorer.js';
import { probationLength, rowWeights, scoreCorpus, windowIndices } from './scorer.js';

/**
 * Where a detector wins and loses at its optimised threshold: per file, each window's first
 * detection (rows after the window's start / window width) or MISS with the best score the window
 * reached, and the false-positive rows. Then the corpus totals that make up the raw score: credit
 * from detected windows (1 per window detected at its first row), misses, FP cost. The NAB total
 * alone does not say whether to work on misses, false alarms or lateness; this does.
 */
export function diagnose(files: readonly ScoredFile[], profile: CostProfile): string[] {
  const result = scoreCorpus(files, profile);
  const t = result.threshold;
  const lines: string[] = [];
  let found = 0;
  let windows = 0;
  let fpRows = 0;
  let credit = 0;
  let fpCost = 0;
  files.forEach((f, k) => {
    const rows = rowWeights(f.timestamps, f.windows, profile);
    const cells: string[] = [];
    for (const [a, b] of windowIndices(f.timestamps, f.windows)) {
      windows++;
      let first = -1;
      let best = 0;
      for (let i = a; i <= b; i++) {
        const s = f.scores[i] as number;
        if (first < 0 && s >= t) first = i;
        if (s > best) best = s;
      }
      if (first >= 0) {
        found++;
        credit += rows.weight[first] as number;
        cells.push(`${first - a}/${b - a + 1}`);
      } else cells.push(`MISS/${b - a + 1} (max ${best.toFixed(3)})`);
    }
    const fps: number[] = [];
    for (let i = probationLength(f.scores.length); i < f.scores.length; i++) {
      if ((rows.window[i] as number) < 0 && (f.scores[i] as number) >= t) {
        fps.push(i);
        fpCost += rows.weight[i] as number;
      }
    }
    fpRows += fps.length;
    const score = result.files[k]?.score ?? 0;
    lines.push(`${f.name.padEnd(54)} ${score.toFixed(2).padStart(6)}  windows [${cells.join(', ')}]  FP rows ${fps.length}${fps.length > 0 ? ` (${fps.join(',')})` : ''}`);
  });
  lines.push(
    `threshold ${t.toFixed(4)}: ${found}/${windows} windows detected (credit ${credit.toFixed(2)} of ${found}), ` +
      `${windows - found} missed (−${(profile.fnWeight * (windows - found)).toFixed(2)}), ${fpRows} FP rows (${fpCost.toFixed(2)})`,
  );
  return lines;
}
