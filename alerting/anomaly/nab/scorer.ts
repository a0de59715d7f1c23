/*
 * The NAB scoring rules (see ../shared/data/nab/SCORING.md), reimplemented: per-row sigmoid weights,
 * earliest-counts-most windows, one threshold per profile optimised over the pooled corpus, and
 * normalisation so that the null detector scores 0 and the perfect one 100.
 */

export interface CostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** One file as the scorer sees it: row timestamps, the detector's scores, and window bounds (ms). */
export interface ScoredFile {
  name: string;
  timestamps: readonly number[];
  scores: readonly number[];
  windows: readonly (readonly [number, number])[];
}

export interface FileResult {
  name: string;
  score: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ProfileResult {
  threshold: number;
  raw: number;
  nullScore: number;
  perfectScore: number;
  normalized: number;
  files: FileResult[];
}

/** S(y) = 2σ(−5y) − 1, clamped to −1 beyond three window-widths. */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

/** First P = min(floor(0.15·n), 750) rows are probationary. */
export function probationLength(n: number): number {
  return Math.min(Math.floor(0.15 * n), 750);
}

/** Window bounds as row indices: first row at/after the start, last row at/before the end. */
export function windowIndices(timestamps: readonly number[], windows: ScoredFile['windows']): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of windows) {
    let left = 0;
    while (left < timestamps.length && (timestamps[left] as number) < start) left++;
    let right = timestamps.length - 1;
    while (right >= 0 && (timestamps[right] as number) > end) right--;
    if (left <= right) out.push([left, right]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Per-row weights as if each row were a detection; `window` is the row's window number or −1. */
export interface RowWeights {
  weight: Float64Array;
  window: Int32Array;
  windowCount: number;
  probation: number;
}

export function rowWeights(timestamps: readonly number[], windows: ScoredFile['windows'], profile: CostProfile): RowWeights {
  const n = timestamps.length;
  const idx = windowIndices(timestamps, windows);
  const weight = new Float64Array(n);
  const window = new Int32Array(n).fill(-1);
  const sMinus1 = scaledSigmoid(-1);
  let w = 0;
  let prev: [number, number] | undefined;
  for (let i = 0; i < n; i++) {
    while (w < idx.length && (idx[w] as [number, number])[1] < i) prev = idx[w++];
    const cur = idx[w];
    if (cur !== undefined && cur[0] <= i) {
      const width = cur[1] - cur[0] + 1;
      weight[i] = (scaledSigmoid(-(cur[1] - i + 1) / width) * profile.tpWeight) / sMinus1;
      window[i] = w;
    } else if (prev !== undefined) {
      const prevWidth = prev[1] - prev[0] + 1;
      weight[i] = scaledSigmoid(Math.abs(prev[1] - i) / (prevWidth - 1)) * profile.fpWeight;
    } else {
      weight[i] = -profile.fpWeight;
    }
  }
  return { weight, window, windowCount: idx.length, probation: probationLength(n) };
}

/** Score one file at a fixed threshold (rows with score ≥ threshold are detections). */
export function scoreFile(file: ScoredFile, rows: RowWeights, profile: CostProfile, threshold: number): FileResult {
  const best = new Array<number | undefined>(rows.windowCount).fill(undefined);
  let fpSum = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = rows.probation; i < file.scores.length; i++) {
    const hit = (file.scores[i] as number) >= threshold;
    const w = rows.window[i] as number;
    const weight = rows.weight[i] as number;
    if (w >= 0) {
      if (hit) {
        tp++;
        const b = best[w];
        if (b === undefined || weight > b) best[w] = weight;
      } else fn++;
    } else if (hit) {
      fp++;
      fpSum += weight;
    } else tn++;
  }
  let score = fpSum;
  for (const b of best) score += b === undefined ? -profile.fnWeight : b;
  return { name: file.name, score, tp, fp, fn, tn };
}

/**
 * Sweep every distinct score from high to low over the pooled rows of all files and keep the
 * threshold with the highest corpus total. "Detect nothing" (threshold +∞) is a candidate too,
 * so the result is never below the null score. Ties keep the higher threshold.
 */
export function optimiseThreshold(files: readonly ScoredFile[], rows: readonly RowWeights[], profile: CostProfile): number {
  let total = 0;
  let windowBase = 0;
  const pooled: { score: number; weight: number; window: number }[] = [];
  files.forEach((file, f) => {
    const r = rows[f] as RowWeights;
    total -= profile.fnWeight * r.windowCount;
    for (let i = r.probation; i < file.scores.length; i++) {
      const w = r.window[i] as number;
      pooled.push({ score: file.scores[i] as number, weight: r.weight[i] as number, window: w < 0 ? -1 : windowBase + w });
    }
    windowBase += r.windowCount;
  });
  pooled.sort((a, b) => b.score - a.score);
  const best = new Float64Array(windowBase).fill(Number.NaN);
  let bestTotal = total;
  let bestThreshold = Number.POSITIVE_INFINITY;
  for (let i = 0; i < pooled.length; ) {
    const t = (pooled[i] as { score: number }).score;
    for (; i < pooled.length && (pooled[i] as { score: number }).score === t; i++) {
      const p = pooled[i] as { score: number; weight: number; window: number };
      if (p.window < 0) total += p.weight;
      else {
        const b = best[p.window] as number;
        if (Number.isNaN(b)) {
          total += profile.fnWeight + p.weight;
          best[p.window] = p.weight;
        } else if (p.weight > b) {
          total += p.weight - b;
          best[p.window] = p.weight;
        }
      }
    }
    if (total > bestTotal + 1e-12) {
      bestTotal = total;
      bestThreshold = t;
    }
  }
  return bestThreshold;
}

/** Score a corpus under one profile: optimise the threshold, then normalise null → 0, perfect → 100. */
export function scoreCorpus(files: readonly ScoredFile[], profile: CostProfile): ProfileResult {
  const rows = files.map((f) => rowWeights(f.timestamps, f.windows, profile));
  const threshold = optimiseThreshold(files, rows, profile);
  const results = files.map((f, i) => scoreFile(f, rows[i] as RowWeights, profile, threshold));
  const raw = results.reduce((s, r) => s + r.score, 0);
  const windows = rows.reduce((s, r) => s + r.windowCount, 0);
  const nullScore = -profile.fnWeight * windows;
  const perfectScore = profile.tpWeight * windows;
  const normalized = (100 * (raw - nullScore)) / (perfectScore - nullScore);
  return { threshold, raw, nullScore, perfectScore, normalized, files: results };
}
