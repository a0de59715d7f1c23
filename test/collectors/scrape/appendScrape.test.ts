import { describe, expect, it } from 'vitest';
import type { AppendOptions } from '../../../collectors/index.js';
import { appendScrape, compileRelabelRules, relabelConfigSchema, reportSeries } from '../../../collectors/index.js';
import type { Labels } from '../../../core/index.js';
import { formatSeries, isStaleNaN } from '../../../core/index.js';
import { parseExposition } from '../../../ingest/index.js';

const T = 1_700_000_000_000;
const TARGET: Labels = { job: 'node', instance: 'host:9100' };
const defaults: AppendOptions = { honorLabels: false, honorTimestamps: true, metricRelabel: [], sampleLimit: 0, labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 };

/** The written series as "labels value@t" lines, "stale" for a stale marker. */
function lines(series: ReturnType<typeof appendScrape>['series']): string[] {
  return series.map((s) => `${formatSeries(s.labels)} ${isStaleNaN(s.samples[0]?.v ?? 0) ? 'stale' : String(s.samples[0]?.v)}@${s.samples[0]?.t}`);
}

describe('a scrape becomes series as Prometheus appends it', () => {
  it.each([
    {
      name: 'target labels are added',
      text: 'm{a="1"} 5\n',
      options: {},
      expected: [`m{a="1", instance="host:9100", job="node"} 5@${T}`],
    },
    {
      name: 'honor_labels: false — clashing exposed labels become exported_*',
      text: 'm{job="pushed",instance="x",exported_job="y"} 1\n',
      options: {},
      expected: [`m{exported_exported_job="pushed", exported_instance="x", exported_job="y", instance="host:9100", job="node"} 1@${T}`],
    },
    {
      name: 'honor_labels: true — exposed labels win',
      text: 'm{job="pushed"} 1\n',
      options: { honorLabels: true },
      expected: [`m{instance="host:9100", job="pushed"} 1@${T}`],
    },
    {
      name: 'honor_timestamps: exposed timestamps are kept',
      text: 'm 1 1600000000000\nn 2\n',
      options: {},
      expected: [`m{instance="host:9100", job="node"} 1@1600000000000`, `n{instance="host:9100", job="node"} 2@${T}`],
    },
    {
      name: 'honor_timestamps: false — the scrape time for everything',
      text: 'm 1 1600000000000\n',
      options: { honorTimestamps: false },
      expected: [`m{instance="host:9100", job="node"} 1@${T}`],
    },
    {
      name: 'metric_relabel_configs run after the target labels, and can drop',
      text: 'go_gc 1\nnode_load1{host="a"} 2\n',
      options: { metricRelabel: [{ source_labels: ['__name__'], regex: 'go_.*', action: 'drop' }, { regex: 'host', action: 'labeldrop' }] },
      expected: [`node_load1{instance="host:9100", job="node"} 2@${T}`],
    },
    {
      name: 'a duplicate series keeps its first sample',
      text: 'm 1\nm 2\n',
      options: {},
      expected: [`m{instance="host:9100", job="node"} 1@${T}`],
    },
  ])('$name', ({ text, options, expected }) => {
    const { metricRelabel, ...rest } = options as Partial<AppendOptions> & { metricRelabel?: Record<string, unknown>[] };
    const opts = { ...defaults, ...rest, metricRelabel: compileRelabelRules((metricRelabel ?? []).map((r) => relabelConfigSchema.parse(r))) };
    const result = appendScrape(parseExposition(text, 'prometheus'), { ...TARGET }, opts, T, new Map());
    expect(result.error).toBeUndefined();
    expect(lines(result.series)).toEqual(expected);
  });

  it('a series of the previous scrape that is gone gets a stale marker; one with its own timestamp does not', () => {
    const first = appendScrape(parseExposition('a 1\nb 2\nc 3 1600000000000\n', 'prometheus'), TARGET, defaults, T, new Map());
    expect(first.seriesAdded).toBe(3);
    const second = appendScrape(parseExposition('a 1\n', 'prometheus'), TARGET, defaults, T + 15_000, first.current);
    expect(lines(second.series)).toEqual([`a{instance="host:9100", job="node"} 1@${T + 15_000}`, `b{instance="host:9100", job="node"} stale@${T + 15_000}`]);
    expect([second.scraped, second.postRelabel, second.seriesAdded]).toEqual([1, 1, 0]);
  });

  it.each([
    { name: 'sample_limit', options: { sampleLimit: 2 }, error: 'sample_limit exceeded: 3 samples, limit 2' },
    { name: 'label_limit (the name and the target labels count)', options: { labelLimit: 3 }, error: 'label_limit exceeded (metric: a, number of labels: 4, limit: 3)' },
    { name: 'label_name_length_limit', options: { labelNameLengthLimit: 5 }, error: 'label_name_length_limit exceeded (metric: a, label name: __name__, length: 8, limit: 5)' },
    { name: 'label_value_length_limit', options: { labelValueLengthLimit: 3 }, error: 'label_value_length_limit exceeded (metric: a, label name: job, value: "node", length: 4, limit: 3)' },
  ])('$name fails the whole scrape: nothing written but stale markers for the last one', ({ options, error }) => {
    const previous = appendScrape(parseExposition('old 1\n', 'prometheus'), TARGET, defaults, T, new Map()).current;
    const result = appendScrape(parseExposition('a{x="1"} 1\nb 2\nc 3\n', 'prometheus'), TARGET, { ...defaults, ...options }, T + 1, previous);
    expect(result.error).toBe(error);
    expect(lines(result.series)).toEqual([`old{instance="host:9100", job="node"} stale@${T + 1}`]);
    expect(result.current.size).toBe(0);
  });

  it('reports up and the scrape_* series with the target labels', () => {
    const report = reportSeries(TARGET, T, { up: true, durationSeconds: 0.25, scraped: 10, postRelabel: 8, seriesAdded: 3 });
    expect(lines(report)).toEqual([
      `up{instance="host:9100", job="node"} 1@${T}`,
      `scrape_duration_seconds{instance="host:9100", job="node"} 0.25@${T}`,
      `scrape_samples_scraped{instance="host:9100", job="node"} 10@${T}`,
      `scrape_samples_post_metric_relabeling{instance="host:9100", job="node"} 8@${T}`,
      `scrape_series_added{instance="host:9100", job="node"} 3@${T}`,
    ]);
  });
});
