/*
 * Nested cross-validation by category: the honest estimate of a detector's score on files nobody tuned
 * it on. For each group of files (a NAB category), the configuration AND the threshold are chosen on
 * the other groups only (best corpus score there), then the held-out group is scored once with them.
 * The held-out totals, pooled over all groups and normalised over all their windows, are the figure.
 * Nothing is re-tuned after looking at a held-out group: choosing is done before it is scored.
 */
import type { CostProfile, RowWeights, ScoredFile } from './scorer.js';
import { optimiseThreshold, rowWeights, scoreFile } from './scorer.js';

/** One configuration's scores, one array per corpus file (same order as the corpus). */
export interface CvCandidate {
  label: string;
  scores: readonly (readonly number[])[];
}

export interface CvFile {
  name: string;
  timestamps: readonly number[];
  windows: readonly (readonly [number, number])[];
}

export interface CvFold {
  group: string;
  /** Label of the candidate chosen on the other groups. */
  chosen: string;
  /** Its threshold, optimised on the other groups. */
  threshold: number;
  /** The held-out group's NAB total at that configuration and threshold. */
  raw: number;
  windows: number;
  /** The same, normalised over the group's own windows (null 0, perfect 100). */
  normalized: number;
}

export interface NestedCvResult {
  folds: CvFold[];
  /** The candidate the same rule picks on every group: what the procedure ships. */
  chosenOnAll: string;
  raw: number;
  nullScore: number;
  perfectScore: number;
  /** Pooled held-out score, normalised over every window of the corpus. */
  normalized: number;
}

/** NAB's categories, with artificialNoAnomaly and artificialWithAnomaly as one (the first has no windows). */
export function nabGroup(name: string): string {
  const category = name.split('/')[0] ?? name;
  return category.startsWith('artificial') ? 'artificial' : category;
}

function total(files: readonly CvFile[], scores: readonly (readonly number[])[], rows: readonly RowWeights[], idx: readonly number[], profile: CostProfile, threshold: number): number {
  let sum = 0;
  for (const i of idx) {
    const f = files[i] as CvFile;
    sum += scoreFile({ ...f, scores: scores[i] as readonly number[] }, rows[i] as RowWeights, profile, threshold).score;
  }
  return sum;
}

export function nestedCrossValidation(
  files: readonly CvFile[],
  candidates: readonly CvCandidate[],
  profile: CostProfile,
  groupOf: (name: string) => string = nabGroup,
): NestedCvResult {
  if (candidates.length === 0) throw new RangeError('no candidates');
  const rows = files.map((f) => rowWeights(f.timestamps, f.windows, profile));
  const groups = [...new Set(files.map((f) => groupOf(f.name)))].sort();
  const folds: CvFold[] = [];
  for (const group of groups) {
    const train = files.map((_, i) => i).filter((i) => groupOf((files[i] as CvFile).name) !== group);
    const held = files.map((_, i) => i).filter((i) => groupOf((files[i] as CvFile).name) === group);
    let best: { c: CvCandidate; threshold: number; score: number } | undefined;
    for (const c of candidates) {
      const scored: ScoredFile[] = train.map((i) => ({ ...(files[i] as CvFile), scores: c.scores[i] as readonly number[] }));
      const threshold = optimiseThreshold(scored, train.map((i) => rows[i] as RowWeights), profile);
      const score = total(files, c.scores, rows, train, profile, threshold);
      // Ties keep the earlier candidate: list the default first.
      if (best === undefined || score > best.score + 1e-9) best = { c, threshold, score };
    }
    if (best === undefined) continue;
    const raw = total(files, best.c.scores, rows, held, profile, best.threshold);
    const windows = held.reduce((s, i) => s + (rows[i] as RowWeights).windowCount, 0);
    const nul = -profile.fnWeight * windows;
    const perfect = profile.tpWeight * windows;
    folds.push({ group, chosen: best.c.label, threshold: best.threshold, raw, windows, normalized: windows === 0 ? Number.NaN : (100 * (raw - nul)) / (perfect - nul) });
  }
  let chosenOnAll = (candidates[0] as CvCandidate).label;
  let bestAll = Number.NEGATIVE_INFINITY;
  const everything = files.map((_, i) => i);
  for (const c of candidates) {
    const threshold = optimiseThreshold(
      files.map((f, i) => ({ ...f, scores: c.scores[i] as readonly number[] })),
      rows,
      profile,
    );
    const score = total(files, c.scores, rows, everything, profile, threshold);
    if (score > bestAll + 1e-9) {
      bestAll = score;
      chosenOnAll = c.label;
    }
  }
  const raw = folds.reduce((s, f) => s + f.raw, 0);
  const windows = folds.reduce((s, f) => s + f.windows, 0);
  const nullScore = -profile.fnWeight * windows;
  const perfectScore = profile.tpWeight * windows;
  return { folds, chosenOnAll, raw, nullScore, perfectScore, normalized: (100 * (raw - nullScore)) / (perfectScore - nullScore) };
}
