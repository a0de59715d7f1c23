import type { Labels, Logger, MetricMetadata, TimeSeries, WriteRequest } from '../../core/index.js';
import type { ExpositionLimits } from '../../ingest/index.js';
import { expositionFormatOf, parseExposition } from '../../ingest/index.js';
import type { AppendOptions } from './appendScrape.js';
import { appendScrape, reportSeries, staleMarkers } from './appendScrape.js';
import type { ScrapeFetcher } from './scrapeHttp.js';
import type { ScrapeMetrics } from './scrapeMetrics.js';
import { nextScrapeMs, scrapePhaseMs } from './scrapeSchedule.js';
import type { ScrapeTarget } from './scrapeTarget.js';

export interface ScrapeLoopOptions {
  readonly target: ScrapeTarget;
  readonly append: AppendOptions;
  readonly fetcher: ScrapeFetcher;
  /** Where samples go (the push pipeline); resolves once they are durable. */
  readonly sink: (req: WriteRequest) => Promise<unknown>;
  readonly tenant: string;
  readonly parserLimits: ExpositionLimits;
  readonly metrics: ScrapeMetrics;
  readonly logger: Logger;
  /** Added to the target's hash before taking the phase: spreads several Vigils scraping the same targets. */
  readonly offsetSeed: number;
  /** Scrape once at start, then on the jittered schedule (the self-scrape, so `up` answers at once). */
  readonly scrapeAtStart?: boolean;
  readonly now?: () => number;
}

/** The state of a target, for logs and a future targets API. */
export interface TargetHealth {
  readonly health: 'unknown' | 'up' | 'down';
  readonly lastError: string;
  readonly lastScrapeMs: number;
}

/**
 * Scrapes one target every interval, at a fixed phase within the interval taken from a hash of
 * the target (as Prometheus offsets its scrapes, so that thousands of targets do not all fire at
 * once and a restart keeps each target's rhythm). Scrapes never overlap: the next one is timed
 * when the last one has been written. Every scrape writes its samples, stale markers for the
 * series that went away, and the five scrape_* report series through the sink.
 */
export class ScrapeLoop {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private started = false;
  /** A scrape ran, so its report series exist and need stale markers when the target goes. */
  private scraped = false;
  private lastScheduled: number | undefined;
  private previous: ReadonlyMap<string, Labels> = new Map();
  private state: TargetHealth = { health: 'unknown', lastError: '', lastScrapeMs: 0 };

  constructor(private readonly options: ScrapeLoopOptions) {
    this.now = options.now ?? Date.now;
  }

  get target(): ScrapeTarget {
    return this.options.target;
  }

  get health(): TargetHealth {
    return this.state;
  }

  /** Starts the schedule; calling it again does nothing. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.options.scrapeAtStart === true) this.fire();
    else this.schedule();
  }

  /**
   * Stops the schedule, ends a scrape in flight and waits for it. With `stale`, the target went
   * away: its series and report series get stale markers now. Idempotent.
   */
  async stop(stale: boolean): Promise<void> {
    const wasStopped = this.stopped;
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    await this.running;
    if (wasStopped || !stale || !this.scraped) return;
    const t = this.now();
    const series = [...staleMarkers(this.previous, t), ...reportSeries(this.options.target.labels, t, 'stale')];
    this.previous = new Map();
    await this.write(series, []);
  }

  /** One scrape now, outside the schedule (tests); resolves when it is written. */
  async scrapeNow(): Promise<void> {
    await this.running;
    this.running = this.scrape();
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    const { intervalMs, hash } = this.options.target;
    const now = this.now();
    const next = nextScrapeMs(scrapePhaseMs(hash, this.options.offsetSeed, intervalMs), intervalMs, now, this.lastScheduled);
    this.lastScheduled = next;
    this.timer = setTimeout(() => this.fire(), next - now);
    this.timer.unref();
  }

  private fire(): void {
    if (this.stopped) return;
    this.running = this.scrape().finally(() => this.schedule());
  }

  /** Never rejects: every failure becomes up=0 (the target's) or a counted write failure (ours). */
  private async scrape(): Promise<void> {
    if (this.stopped) return;
    const { target, append, metrics, logger } = this.options;
    const start = this.now();
    this.scraped = true;
    const abort = new AbortController();
    this.abort = abort;
    const timeout = setTimeout(() => abort.abort(new Error(`scrape timed out after ${target.timeoutMs / 1000}s`)), target.timeoutMs);
    let series: TimeSeries[];
    let metadata: readonly MetricMetadata[] = [];
    let report = { scraped: 0, postRelabel: 0, seriesAdded: 0 };
    let error: string | undefined;
    try {
      const res = await this.options.fetcher(target, abort.signal);
      const parsed = parseExposition(res.text, expositionFormatOf(res.contentType), this.options.parserLimits);
      const appended = appendScrape(parsed, target.labels, append, start, this.previous);
      ({ series } = appended);
      this.previous = appended.current;
      metadata = appended.error === undefined ? parsed.metadata : [];
      report = { scraped: appended.scraped, postRelabel: appended.postRelabel, seriesAdded: appended.seriesAdded };
      error = appended.error;
    } catch (err) {
      // Ended by stop(): not the target's failure; stop() writes what is due (stale markers, or nothing).
      if (this.stopped) return;
      error = abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason.message : (err as Error).message;
      series = staleMarkers(this.previous, start);
      this.previous = new Map();
    } finally {
      clearTimeout(timeout);
      this.abort = undefined;
    }
    const up = error === undefined;
    const durationSeconds = (this.now() - start) / 1000;
    series.push(...reportSeries(target.labels, start, { up, durationSeconds, ...report }));
    metrics.scrapes.inc({ job: target.jobName, outcome: up ? 'up' : 'down' });
    if (!up && this.state.lastError !== error) logger.warn({ job: target.jobName, url: target.url, err: error }, 'scrape failed');
    this.state = { health: up ? 'up' : 'down', lastError: error ?? '', lastScrapeMs: start };
    await this.write(series, metadata);
  }

  private async write(series: TimeSeries[], metadata: readonly MetricMetadata[]): Promise<void> {
    const { target, metrics, logger } = this.options;
    try {
      await this.options.sink({ tenant: this.options.tenant, series, metadata, logs: [], events: [] });
      metrics.samples.inc({ job: target.jobName }, series.length);
    } catch (err) {
      metrics.writeFailures.inc({ job: target.jobName });
      logger.warn({ job: target.jobName, url: target.url, err: (err as Error).message }, 'scraped samples were not written');
    }
  }
}
