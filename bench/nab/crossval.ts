/*
 * Leave-one-category-out validation of vigil's settings on the NAB corpus:
 *   npx tsx bench/nab/crossval.ts --data DIR [--cache FILE] [--shard I/N] [--limit N] [--fix JSON] [--base JSON]
 * The default's settings were chosen on the 43 files it is scored on. This measures how much of its
 * score is that selection: over a grid of the adopted mechanisms and their main settings (GRID below),
 * for each of the five categories (artificial* together, AWS, ad exchange, traffic, tweets) the
 * configuration with the best standard score on the other four (threshold optimised on them) is
 * scored on the held-out one, at the threshold chosen on the four (strict) and at a threshold
 * re-optimised on the held-out category (NAB's protocol optimises on the scored corpus). Pooled over
 * the five splits and normalised over all 83 windows, that is a "selected elsewhere" corpus figure.
 *
 * Each configuration runs once. Its scores are reduced, per category, to the NAB total as a step
 * function of the threshold (the same sweep as optimiseThreshold, every distinct score a candidate,
 * ties to the higher threshold); every split is then re-scored from those, exactly. With --cache the
 * per-configuration summaries are appended to FILE (keyed by the configuration and a hash of
 * alerting/anomaly's sources), so shards (--shard 0/2, --shard 1/2) can run side by side and a last
 * run without --shard reports. --fix '{"evt":0}' keeps only the grid points with those settings.
 * --base '{"gapLog":0}' puts settings outside the grid under every point (a mechanism under test
 * switched on or off throughout; the self-check then compares against the detector with --base).
 * The 6,144 configurations take about 15 minutes on 2 cores with two shards (0.3 s each).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CorpusFile, CostProfile, ScoredFile, StateValue } from '../../alerting/index.js';
import { createDetector, loadCorpus, loadProfiles, rowWeights, scoreCorpus } from '../../alerting/index.js';

type Overrides = { [key: string]: number };
interface Dim {
  name: string;
  options: { label: string; set: Overrides }[];
}

/** The grid: every combination of one option per dimension. The first option of each is the default's. */
const GRID: Dim[] = [
  { name: 'gap', options: [0.035, 0, 0.03, 0.04].map((v) => ({ label: `gap=${v}`, set: { gap: v } })) },
  { name: 'hold', options: [750, 0].map((v) => ({ label: `hold=${v}`, set: { hold: v } })) },
  { name: 'hBand', options: [5, 1].map((v) => ({ label: `hBand=${v}`, set: { hBand: v } })) },
  { name: 'margin', options: [1.1, 1.05].map((v) => ({ label: `margin=${v}`, set: { margin: v } })) },
  {
    name: 'shape',
    options: [
      { label: 'shapeRho=0.6', set: { shapeBlock: 16, shapeRho: 0.6 } },
      { label: 'shape off', set: { shapeBlock: 0, shapeRho: 0.6 } },
      { label: 'shapeRho=0.55', set: { shapeBlock: 16, shapeRho: 0.55 } },
      { label: 'shapeRho=0.65', set: { shapeBlock: 16, shapeRho: 0.65 } },
    ],
  },
  { name: 'k', options: [1, 0.75, 1.25].map((v) => ({ label: `k=${v}`, set: { k: v } })) },
  { name: 'decay', options: [0.9998, 0.9999].map((v) => ({ label: `decay=${v}`, set: { decay: v } })) },
  { name: 'evt', options: [0, 2].map((v) => ({ label: `evt=${v}`, set: { evt: v } })) },
  { name: 'gapLog', options: [0.02, 0, 0.015, 0.03].map((v) => ({ label: `gapLog=${v}`, set: { gapLog: v } })) },
];

interface Point {
  /** Option index per dimension; all zeros is the default. */
  pick: number[];
  config: Overrides;
  key: string;
  label: string;
}

function gridPoints(): Point[] {
  let picks: number[][] = [[]];
  for (const dim of GRID) picks = picks.flatMap((p) => dim.options.map((_, i) => [...p, i]));
  return picks.map((pick) => {
    const config: Overrides = {};
    const labels: string[] = [];
    pick.forEach((i, d) => {
      const opt = (GRID[d] as Dim).options[i] as { label: string; set: Overrides };
      Object.assign(config, opt.set);
      if (i !== 0) labels.push(opt.label);
    });
    return { pick, config, key: JSON.stringify(config), label: labels.length === 0 ? 'default' : labels.join(' ') };
  });
}

const CATEGORIES = ['artificial', 'realAWSCloudwatch', 'realAdExchange', 'realTraffic', 'realTweets'] as const;
const SHORT: Record<string, string> = {
  artificial: 'artificial',
  realAWSCloudwatch: 'AWS',
  realAdExchange: 'ad exchange',
  realTraffic: 'traffic',
  realTweets: 'tweets',
};

function category(name: string): string {
  const c = name.split('/')[0] ?? name;
  return c.startsWith('artificial') ? 'artificial' : c;
}

/**
 * A set of files' NAB total as a function of the threshold: `thr` holds the distinct scores
 * (descending), `total[j]` the total when every row scoring ≥ thr[j] is a detection, `base` the
 * total with no detection (−fnWeight per window).
 */
interface Step {
  thr: Float64Array;
  total: Float64Array;
  base: number;
  windows: number;
}

function stepFunction(files: readonly ScoredFile[], profile: CostProfile): Step {
  let rowsN = 0;
  const rows = files.map((f) => {
    const r = rowWeights(f.timestamps, f.windows, profile);
    rowsN += Math.max(0, f.scores.length - r.probation);
    return r;
  });
  const score = new Float64Array(rowsN);
  const weight = new Float64Array(rowsN);
  const win = new Int32Array(rowsN);
  let base = 0;
  let windows = 0;
  let p = 0;
  files.forEach((f, k) => {
    const r = rows[k] as ReturnType<typeof rowWeights>;
    base -= profile.fnWeight * r.windowCount;
    for (let i = r.probation; i < f.scores.length; i++, p++) {
      const w = r.window[i] as number;
      score[p] = f.scores[i] as number;
      weight[p] = r.weight[i] as number;
      win[p] = w < 0 ? -1 : windows + w;
    }
    windows += r.windowCount;
  });
  const order = new Uint32Array(rowsN);
  for (let i = 0; i < rowsN; i++) order[i] = i;
  order.sort((a, b) => (score[b] as number) - (score[a] as number));
  const best = new Float64Array(windows).fill(Number.NaN);
  const thr: number[] = [];
  const total: number[] = [];
  let t = base;
  for (let i = 0; i < rowsN; ) {
    const s = score[order[i] as number] as number;
    for (; i < rowsN && score[order[i] as number] === s; i++) {
      const q = order[i] as number;
      const w = win[q] as number;
      const wt = weight[q] as number;
      if (w < 0) t += wt;
      else {
        const b = best[w] as number;
        if (Number.isNaN(b)) {
          t += profile.fnWeight + wt;
          best[w] = wt;
        } else if (wt > b) {
          t += wt - b;
          best[w] = wt;
        }
      }
    }
    thr.push(s);
    total.push(t);
  }
  return { thr: Float64Array.from(thr), total: Float64Array.from(total), base, windows };
}

/** Total of a step function at threshold t (rows scoring ≥ t detected). */
function totalAt(step: Step, t: number): number {
  let lo = 0;
  let hi = step.thr.length; // first index with thr < t
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((step.thr[mid] as number) >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? step.base : (step.total[lo - 1] as number);
}

/** optimiseThreshold over the pooled steps: the best total, ties (within 1e-12) to the higher threshold. */
function optimise(steps: readonly Step[]): { thr: number; raw: number } {
  const cand = Float64Array.from(steps.flatMap((s) => Array.from(s.thr))).sort().reverse();
  const ptr = steps.map(() => 0);
  let bestRaw = steps.reduce((a, s) => a + s.base, 0);
  let bestThr = Number.POSITIVE_INFINITY;
  for (let i = 0; i < cand.length; i++) {
    const t = cand[i] as number;
    if (i > 0 && t === cand[i - 1]) continue;
    let raw = 0;
    steps.forEach((s, k) => {
      let j = ptr[k] as number;
      while (j < s.thr.length && (s.thr[j] as number) >= t) j++;
      ptr[k] = j;
      raw += j === 0 ? s.base : (s.total[j - 1] as number);
    });
    if (raw > bestRaw + 1e-12) {
      bestRaw = raw;
      bestThr = t;
    }
  }
  return { thr: bestThr, raw: bestRaw };
}

function normalise(raw: number, windows: number, profile: CostProfile): number {
  const nullScore = -profile.fnWeight * windows;
  return (100 * (raw - nullScore)) / (profile.tpWeight * windows - nullScore);
}

/** What one configuration contributes to every split (standard profile). */
interface Summary {
  key: string;
  fp: string;
  corpus: { thr: number; raw: number };
  /** Per category: windows, its own optimum (re-optimised), and per held-out split the training optimum. */
  cats: Record<string, { windows: number; thr: number; raw: number }>;
  splits: Record<string, { trainThr: number; trainRaw: number; heldRaw: number }>;
}

function runConfig(config: { [key: string]: StateValue }, corpus: readonly CorpusFile[]): ScoredFile[] {
  return corpus.map((file) => {
    const d = createDetector('vigil-nab', config);
    const n = file.values.length;
    const s = new Array<number>(n);
    for (let i = 0; i < n; i++) s[i] = d.update(file.timestamps[i] as number, file.values[i] as number).score;
    return { name: file.name, timestamps: file.timestamps, windows: file.windows, scores: s };
  });
}

function summarise(key: string, fp: string, files: readonly ScoredFile[], profile: CostProfile): Summary {
  const steps: Record<string, Step> = {};
  for (const c of CATEGORIES) steps[c] = stepFunction(files.filter((f) => category(f.name) === c), profile);
  const all = CATEGORIES.map((c) => steps[c] as Step);
  const cats: Summary['cats'] = {};
  const splits: Summary['splits'] = {};
  for (const c of CATEGORIES) {
    const own = optimise([steps[c] as Step]);
    cats[c] = { windows: (steps[c] as Step).windows, thr: own.thr, raw: own.raw };
    const train = optimise(CATEGORIES.filter((x) => x !== c).map((x) => steps[x] as Step));
    splits[c] = { trainThr: train.thr, trainRaw: train.raw, heldRaw: totalAt(steps[c] as Step, train.thr) };
  }
  return { key, fp, corpus: optimise(all), cats, splits };
}

/** A hash of alerting/anomaly's sources, so a cache never outlives the detector it measured. */
function sourceHash(): string {
  const h = createHash('sha1');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) h.update(name).update(readFileSync(p));
    }
  };
  walk(resolve(import.meta.dirname, '../../alerting/anomaly'));
  return h.digest('hex').slice(0, 12);
}

const f2 = (x: number): string => x.toFixed(2);

function main(): void {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, cache: { type: 'string' }, shard: { type: 'string' }, limit: { type: 'string' }, fix: { type: 'string' }, base: { type: 'string' } },
  });
  if (values.data === undefined) throw new Error('usage: crossval.ts --data DIR [--cache FILE] [--shard I/N] [--limit N] [--fix JSON] [--base JSON]');
  const corpus = loadCorpus(values.data);
  const std = loadProfiles(values.data)['standard'];
  if (std === undefined) throw new Error('standard profile missing');
  const fp = sourceHash();
  // --base: overrides under every grid point (a mechanism under test, on throughout the grid).
  const base = values.base === undefined ? {} : (JSON.parse(values.base) as Overrides);
  let points = gridPoints().map((p) => {
    const config = { ...base, ...p.config };
    return { ...p, config, key: JSON.stringify(config) };
  });
  if (values.fix !== undefined) {
    const fix = JSON.parse(values.fix) as Overrides;
    points = points.filter((p) => Object.entries(fix).every(([k, v]) => p.config[k] === v));
  }
  if (values.limit !== undefined) points = points.slice(0, Number(values.limit));
  const [shard, shards] = (values.shard ?? '0/1').split('/').map(Number) as [number, number];

  const done = new Map<string, Summary>();
  if (values.cache !== undefined && existsSync(values.cache)) {
    for (const line of readFileSync(values.cache, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const s = JSON.parse(line) as Summary;
      if (s.fp === fp) done.set(s.key, s);
    }
  }

  // Self-check: the default grid point is the detector's default, and the step functions reproduce scoreCorpus.
  if (values.shard === undefined && !done.has((points[0] as Point).key)) {
    const plain = runConfig(base, corpus);
    const ref = scoreCorpus(plain, std);
    const mine = summarise('{}', fp, plain, std);
    const viaGrid = summarise((points[0] as Point).key, fp, runConfig((points[0] as Point).config, corpus), std);
    if (Math.abs(ref.raw - mine.corpus.raw) > 1e-9 || ref.threshold !== mine.corpus.thr) {
      throw new Error(`step functions disagree with scoreCorpus: ${ref.raw}@${ref.threshold} vs ${mine.corpus.raw}@${mine.corpus.thr}`);
    }
    if (Math.abs(viaGrid.corpus.raw - mine.corpus.raw) > 1e-9) throw new Error('the first grid point is not the default configuration');
    for (const c of CATEGORIES) {
      const sub = scoreCorpus(plain.filter((f) => category(f.name) === c), std);
      if (Math.abs(sub.raw - (mine.cats[c] as { raw: number }).raw) > 1e-9) throw new Error(`category ${c} disagrees with scoreCorpus`);
    }
    done.set(viaGrid.key, viaGrid);
    if (values.cache !== undefined) appendFileSync(values.cache, `${JSON.stringify(viaGrid)}\n`);
  }

  const t0 = performance.now();
  let ran = 0;
  points.forEach((p, i) => {
    if (i % shards !== shard || done.has(p.key)) return;
    const s = summarise(p.key, fp, runConfig(p.config, corpus), std);
    done.set(p.key, s);
    if (values.cache !== undefined) appendFileSync(values.cache, `${JSON.stringify(s)}\n`);
    ran++;
    if (ran % 25 === 0) console.error(`${ran} configurations run, ${((performance.now() - t0) / 1000 / ran).toFixed(2)} s each`);
  });
  if (values.shard !== undefined) return;

  const rows = points.map((p) => ({ p, s: done.get(p.key) as Summary }));
  const totalWindows = CATEGORIES.reduce((a, c) => a + ((rows[0] as { s: Summary }).s.cats[c] as { windows: number }).windows, 0);
  const corpusScore = (s: Summary): number => normalise(s.corpus.raw, totalWindows, std);
  const def = rows[0] as { p: Point; s: Summary };

  // 3. The landscape: every configuration's corpus score (one threshold over the 43 files).
  const sorted = [...rows].sort((a, b) => corpusScore(b.s) - corpusScore(a.s));
  console.log(`# Corpus score of every grid configuration (${rows.length}; standard, one threshold over all ${totalWindows} windows)`);
  console.log(['rank', 'std', 'thr', ...CATEGORIES.map((c) => SHORT[c]), 'configuration (difference from the default)'].join('\t'));
  sorted.forEach(({ p, s }, r) => {
    const per = CATEGORIES.map((c) => {
      const x = s.cats[c] as { windows: number; raw: number };
      return f2(normalise(x.raw, x.windows, std));
    });
    console.log([r + 1, f2(corpusScore(s)), s.corpus.thr.toFixed(3), ...per, p.label].join('\t'));
  });
  const scores = sorted.map((x) => corpusScore(x.s));
  const q = (f: number): number => scores[Math.min(scores.length - 1, Math.floor(f * (scores.length - 1)))] as number;
  const defRank = sorted.findIndex((x) => x.p.key === def.p.key) + 1;
  console.log(
    `\nDefault: ${f2(corpusScore(def.s))}, rank ${defRank} of ${rows.length}. Grid: max ${f2(q(0))}, upper quartile ${f2(q(0.25))}, ` +
      `median ${f2(q(0.5))}, lower quartile ${f2(q(0.75))}, min ${f2(q(1))}; ${scores.filter((x) => x > 80.76).length} above 80.76.`,
  );
  console.log('\n# Per setting: mean / max corpus score of the grid configurations with it');
  GRID.forEach((dim, d) => {
    const parts = dim.options.map((o, i) => {
      const sel = rows.filter((x) => x.p.pick[d] === i).map((x) => corpusScore(x.s));
      if (sel.length === 0) return `${o.label} –`;
      return `${o.label} ${f2(sel.reduce((a, b) => a + b, 0) / sel.length)} / ${f2(Math.max(...sel))}`;
    });
    console.log(`${dim.name}: ${parts.join(';  ')}`);
  });

  // 1–2. Leave one category out, under two selection rules: the best cell on the training categories,
  // and the best neighbourhood (the cell plus every cell one option away, mean training total) — the
  // "plateau, not best cell" rule the tuning rounds describe.
  const profiles = loadProfiles(values.data);
  const runs = new Map<string, ScoredFile[]>();
  const neighbours = rows.map((r) => rows.filter((o) => o.p.pick.filter((v, d) => v !== r.p.pick[d]).length <= 1));
  const rules: { name: string; merit: (i: number, c: string) => number }[] = [
    { name: 'best cell', merit: (i, c) => ((rows[i] as { s: Summary }).s.splits[c] as { trainRaw: number }).trainRaw },
    {
      name: 'best neighbourhood',
      merit: (i, c) => {
        const n = neighbours[i] as { s: Summary }[];
        return n.reduce((a, o) => a + (o.s.splits[c] as { trainRaw: number }).trainRaw, 0) / n.length;
      },
    },
  ];
  for (const rule of rules) {
    console.log(`\n# Leave one category out, ${rule.name} on the other four (standard; held-out scores normalised within the category)`);
    console.log(
      ['held out', 'windows', 'train chosen', 'train default (rank)', 'held strict', 'default strict', 'held reopt', 'default reopt', 'chosen configuration'].join('\t'),
    );
    const pooled = { strict: 0, reopt: 0, defStrict: 0, defReopt: 0 };
    const composite: ScoredFile[] = [];
    for (const c of CATEGORIES) {
      let bi = 0; // ties go to the default (index 0)
      for (let i = 1; i < rows.length; i++) if (rule.merit(i, c) > rule.merit(bi, c) + 1e-12) bi = i;
      const best = rows[bi] as { p: Point; s: Summary };
      const defRank = rows.filter((_, i) => rule.merit(i, c) > rule.merit(0, c) + 1e-12).length + 1;
      const w = (def.s.cats[c] as { windows: number }).windows;
      const trainW = totalWindows - w;
      const bs = best.s.splits[c] as Summary['splits'][string];
      const ds = def.s.splits[c] as Summary['splits'][string];
      const bc = best.s.cats[c] as Summary['cats'][string];
      const dc = def.s.cats[c] as Summary['cats'][string];
      pooled.strict += bs.heldRaw;
      pooled.reopt += bc.raw;
      pooled.defStrict += ds.heldRaw;
      pooled.defReopt += dc.raw;
      console.log(
        [
          SHORT[c],
          w,
          `${f2(normalise(bs.trainRaw, trainW, std))} @${bs.trainThr.toFixed(3)}`,
          `${f2(normalise(ds.trainRaw, trainW, std))} @${ds.trainThr.toFixed(3)} (${defRank})`,
          f2(normalise(bs.heldRaw, w, std)),
          f2(normalise(ds.heldRaw, w, std)),
          f2(normalise(bc.raw, w, std)),
          f2(normalise(dc.raw, w, std)),
          best.p.label,
        ].join('\t'),
      );
      if (!runs.has(best.p.key)) runs.set(best.p.key, runConfig(best.p.config, corpus));
      composite.push(...(runs.get(best.p.key) as ScoredFile[]).filter((f) => category(f.name) === c));
    }
    // The held-out outputs put together — each file scored by the configuration chosen without its
    // category — and scored as NAB scores a detector: one threshold per profile over all 43 files.
    const trio = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'].map((name) => {
      const prof = profiles[name];
      if (prof === undefined) throw new Error(`profile ${name} missing`);
      return f2(scoreCorpus(composite, prof).normalized);
    });
    console.log(`Pooled over the five held-out categories (raw totals summed, normalised over all ${totalWindows} windows):`);
    console.log(`  selected elsewhere, threshold from the training categories (strict): ${f2(normalise(pooled.strict, totalWindows, std))}`);
    console.log(`  default,            threshold from the training categories (strict): ${f2(normalise(pooled.defStrict, totalWindows, std))}`);
    console.log(`  selected elsewhere, threshold re-optimised per held-out category:     ${f2(normalise(pooled.reopt, totalWindows, std))}`);
    console.log(`  default,            threshold re-optimised per held-out category:     ${f2(normalise(pooled.defReopt, totalWindows, std))}`);
    console.log(`  selected elsewhere, one threshold per profile over all 43 files (NAB's protocol): ${trio.join(' / ')} (standard / low-FP / low-FN)`);
  }
  console.log(`\nDefault, one threshold over the corpus (the published protocol): ${f2(corpusScore(def.s))}; best grid configuration in-sample: ${f2(q(0))}`);
}

main();
