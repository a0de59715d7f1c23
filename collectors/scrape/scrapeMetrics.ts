import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** The scraper's own metrics (per job: the configuration bounds the label values). */
export interface ScrapeMetrics {
  readonly targets: Gauge<'job'>;
  readonly scrapes: Counter<'job' | 'outcome'>;
  readonly samples: Counter<'job'>;
  readonly writeFailures: Counter<'job'>;
  readonly discoveryFailures: Counter<'job'>;
}

export function createScrapeMetrics(registry: Registry): ScrapeMetrics {
  const registers = [registry];
  return {
    targets: new Gauge({ name: 'vigil_scrape_targets', help: 'Targets the scraper scrapes, by job.', labelNames: ['job'], registers }),
    scrapes: new Counter({ name: 'vigil_scrape_scrapes_total', help: 'Scrapes by job and outcome (up: the target answered and its samples were within the limits).', labelNames: ['job', 'outcome'], registers }),
    samples: new Counter({ name: 'vigil_scrape_samples_written_total', help: 'Samples (stale markers and the scrape_* series included) handed to the push pipeline, by job.', labelNames: ['job'], registers }),
    writeFailures: new Counter({ name: 'vigil_scrape_write_failures_total', help: 'Scrapes whose samples the push pipeline refused (backpressure, limits), by job.', labelNames: ['job'], registers }),
    discoveryFailures: new Counter({ name: 'vigil_scrape_discovery_failures_total', help: 'file_sd files that could not be read or parsed (the last good targets are kept), by job.', labelNames: ['job'], registers }),
  };
}
