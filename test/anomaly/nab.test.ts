import { describe, expect, it } from 'vitest';
import type { CostProfile, CvCandidate } from '../../alerting/anomaly/index.js';
import { DEFAULT_DETECTOR, createDetector, loadCorpus, loadProfiles, nabGroup, nestedCrossValidation, windowIndices } from '../../alerting/anomaly/index.js';
import { hasNab, nabDir } from './nab-data.js';

/**
 * The NAB harness, not the detector's level on it: the nested cross-validation must score a held-out
 * category only with what was chosen without it, and the harness must run the default detector
 * deterministically. (Floors just under today's score tested the tuning, not the detector; the
 * figures are printed by `npm run bench:nab` and recorded in docs/ANOMALY.md.)
 */
describe.skipIf(!hasNab)('nested cross-validation on the NAB development corpus', () => {
  const corpus = hasNab ? loadCorpus(nabDir) : [];
  const standard = (hasNab ? loadProfiles(nabDir)['standard'] : undefined) as CostProfile;
  const firstRows = corpus.map((c) => new Set(windowIndices(c.timestamps, c.windows).map(([l]) => l)));
  /** Fires at each window's first row on the files `perfectOn` accepts; elsewhere fires on every row or never. */
  const candidate = (label: string, perfectOn: (name: string) => boolean, elsewhere: 'never' | 'always'): CvCandidate => ({
    label,
    scores: corpus.map((c, f) => c.timestamps.map((_, i) => (perfectOn(c.name) ? (firstRows[f]?.has(i) === true ? 1 : 0) : elsewhere === 'always' ? 1 : 0))),
  });

  it('groups the categories, both artificial ones together', () => {
    expect([...new Set(corpus.map((c) => nabGroup(c.name)))].sort()).toEqual(['artificial', 'realAWSCloudwatch', 'realAdExchange', 'realTraffic', 'realTweets']);
  });

  it('the perfect detector scores 100 held out, the null one 0', () => {
    expect(nestedCrossValidation(corpus, [candidate('perfect', () => true, 'never')], standard).normalized).toBeCloseTo(100, 9);
    expect(nestedCrossValidation(corpus, [candidate('null', () => false, 'never')], standard).normalized).toBe(0);
  });

  it.each(['artificial', 'realAWSCloudwatch', 'realAdExchange', 'realTraffic', 'realTweets'])(
    'never chooses with the held-out category (%s): a candidate perfect only there is not picked for it',
    (group) => {
      // "oracle" is perfect on the held-out group and fires on every row of the others; "honest" is
      // perfect on the others and silent on the held-out group. Choosing on the others must pick
      // "honest", so the held-out group scores 0 — a harness that peeked would score it 100.
      const oracle = candidate('oracle', (name) => nabGroup(name) === group, 'always');
      const honest = candidate('honest', (name) => nabGroup(name) !== group, 'never');
      const fold = nestedCrossValidation(corpus, [oracle, honest], standard).folds.find((f) => f.group === group);
      expect(fold?.chosen).toBe('honest');
      expect(fold?.normalized).toBe(0);
    },
  );

  it('the default detector is deterministic over the corpus (what the harness relies on to time it)', () => {
    const run = (): number[][] =>
      corpus.slice(0, 6).map((c) => {
        const d = createDetector(DEFAULT_DETECTOR);
        return c.values.map((v, i) => d.update(c.timestamps[i] as number, v).score);
      });
    expect(run()).toEqual(run());
  });
});
