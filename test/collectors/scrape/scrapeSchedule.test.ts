import { describe, expect, it } from 'vitest';
import { nextScrapeMs, scrapeJobsOf, scrapePhaseMs, targetsOf } from '../../../collectors/index.js';
import type { ScrapeJob } from '../../../collectors/index.js';

describe('scrape schedule: a fixed phase per target, like Prometheus', () => {
  it.each([
    { name: 'first slot later in this interval', phase: 4000, interval: 15_000, now: 1_500_000, last: undefined, next: 1_504_000 },
    { name: 'first slot already passed: the next interval', phase: 4000, interval: 15_000, now: 1_506_000, last: undefined, next: 1_519_000 },
    { name: 'now is the slot', phase: 4000, interval: 15_000, now: 1_504_000, last: undefined, next: 1_504_000 },
    { name: 'after a slot, one interval later', phase: 4000, interval: 15_000, now: 1_504_300, last: 1_504_000, next: 1_519_000 },
    { name: 'a scrape that overran skips the missed slots', phase: 4000, interval: 15_000, now: 1_540_000, last: 1_504_000, next: 1_549_000 },
  ])('$name', ({ phase, interval, now, last, next }) => {
    const at = nextScrapeMs(phase, interval, now, last);
    expect(at).toBe(next);
    expect(at % interval).toBe(phase % interval);
  });

  it('spreads the targets of a job over the interval', () => {
    const job = scrapeJobsOf({ scrape_configs: [{ job_name: 'j', scrape_interval: '15s', static_configs: [{ targets: Array.from({ length: 100 }, (_, i) => `10.0.0.${i}:9100`) }] }] }, '/tmp')[0] as ScrapeJob;
    const phases = targetsOf(job, job.staticGroups).targets.map((t) => scrapePhaseMs(t.hash, 0, t.intervalMs));
    expect(phases).toHaveLength(100);
    // Distinct phases in every third of the interval, not all at one moment.
    for (let third = 0; third < 3; third++) expect(phases.filter((p) => Math.floor(p / 5000) === third).length).toBeGreaterThan(15);
    expect(new Set(phases).size).toBeGreaterThan(95);
  });
});
