import { describe, expect, it } from 'vitest';
import type { CostProfile, ScoredFile } from '../../alerting/anomaly/index.js';
import { DEFAULT_DETECTOR, createDetector, loadCorpus, loadProfiles, scoreCorpus } from '../../alerting/anomaly/index.js';
import { hasNab, nabDir } from './nab-data.js';

/**
 * A regression guard on the development corpus (docs/ANOMALY.md has the figures): the default
 * detector, run exactly as `npm run bench:nab` runs it, must keep its level on every profile.
 */
describe.skipIf(!hasNab)('the default detector on the NAB development corpus', () => {
  const corpus = hasNab ? loadCorpus(nabDir) : [];
  const profiles = hasNab ? loadProfiles(nabDir) : {};
  const files: ScoredFile[] = corpus.map((c) => {
    const d = createDetector(DEFAULT_DETECTOR);
    return { name: c.name, timestamps: c.timestamps, windows: c.windows, scores: c.values.map((v, i) => d.update(c.timestamps[i] as number, v).score) };
  });

  it.each([
    ['standard', 80.8],
    ['reward_low_FP_rate', 74.5],
    ['reward_low_FN_rate', 85],
  ] as const)('%s ≥ %s', (profile, floor) => {
    expect(scoreCorpus(files, profiles[profile] as CostProfile).normalized).toBeGreaterThanOrEqual(floor);
  });

  it('emits scores in [0, 1] for every row', () => {
    for (const f of files) for (const s of f.scores) expect(s >= 0 && s <= 1).toBe(true);
  });
});
