import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeJob } from '../../../collectors/index.js';
import { scrapeJobsOf, targetsOf } from '../../../collectors/index.js';
import type { PrometheusServer } from '../../query/prometheusServer.js';
import { prometheusInstalled, startPrometheus } from '../../query/prometheusServer.js';
import { relabelCases } from './relabelCases.js';

/**
 * The relabeling table run through a real Prometheus 2.42 as target relabeling: one job per case,
 * its input as a static target group, its rules as relabel_configs. Prometheus' /api/v1/targets
 * then shows each target's labels (or that it was dropped), and Vigil's targetsOf must give the
 * same for the same configuration.
 */
const UNREACHABLE = '127.0.0.1:1';

interface PromTarget {
  readonly discoveredLabels: Record<string, string>;
  readonly labels?: Record<string, string>;
}

function scrapeConfig(): Record<string, unknown> {
  return {
    global: { scrape_interval: '1h', scrape_timeout: '1s' },
    scrape_configs: relabelCases.map((c, i) => {
      const { __address__: address, ...labels } = c.input;
      return { job_name: `case${i}`, static_configs: [{ targets: [address ?? UNREACHABLE], labels }], relabel_configs: c.rules };
    }),
  };
}

// Skipped only on a developer machine without the Debian package; CI installs it (.ci/install-prometheus.sh).
describe.skipIf(!prometheusInstalled && process.env.CI !== 'true')('target relabeling next to Prometheus 2.42', () => {
  let prometheus: PrometheusServer;
  let theirs: Map<string, Record<string, string> | 'dropped'>;

  beforeAll(async () => {
    // JSON is YAML: no quoting surprises for regexes and newlines.
    prometheus = await startPrometheus([], { config: JSON.stringify(scrapeConfig()) });
    // Static targets arrive all at once (one discovery update). A target whose relabeling removed
    // __address__ is refused with an error and listed nowhere: not scraped, like a dropped one.
    for (let i = 0; i < 150; i++) {
      const res = (await (await fetch(`${prometheus.base}/api/v1/targets?state=any`)).json()) as { data: { activeTargets: PromTarget[]; droppedTargets: PromTarget[] } };
      theirs = new Map();
      for (const t of res.data.activeTargets) theirs.set(t.labels?.job ?? '', t.labels ?? {});
      for (const t of res.data.droppedTargets) theirs.set(t.discoveredLabels.job ?? '', 'dropped');
      if (theirs.size > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(theirs.size).toBeGreaterThan(relabelCases.length / 2);
    relabelCases.forEach((_c, i) => {
      if (!theirs.has(`case${i}`)) theirs.set(`case${i}`, 'dropped');
    });
  }, 60_000);
  afterAll(() => prometheus?.stop());

  it('every case: the same target labels, or dropped alike', () => {
    const jobs = scrapeJobsOf(scrapeConfig(), '/tmp');
    const ours = new Map<string, Record<string, string> | 'dropped'>();
    jobs.forEach((job: ScrapeJob) => {
      const [target] = targetsOf(job, job.staticGroups).targets;
      ours.set(job.jobName, target === undefined ? 'dropped' : { ...target.labels });
    });
    const differences = relabelCases
      .map((c, i) => ({ name: c.name, ours: ours.get(`case${i}`), prometheus: theirs.get(`case${i}`) }))
      .filter((d) => JSON.stringify(d.ours === 'dropped' ? d.ours : sorted(d.ours)) !== JSON.stringify(d.prometheus === 'dropped' ? d.prometheus : sorted(d.prometheus)));
    expect(differences).toEqual([]);
    // The comparison covers kept targets with labels, not only drops.
    expect([...theirs.values()].filter((v) => v !== 'dropped').length).toBeGreaterThan(20);
  });
});

function sorted(labels: Record<string, string> | undefined): [string, string][] {
  return Object.entries(labels ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
