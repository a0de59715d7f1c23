import { hostname } from 'node:os';
import type { Logger, WriteRequest } from '../../core/index.js';
import type { ExpositionLimits } from '../../ingest/index.js';
import { FileSd } from './fileSd.js';
import type { ScrapeFetcher } from './scrapeHttp.js';
import { httpFetcher } from './scrapeHttp.js';
import type { ScrapeJob, TargetGroup } from './scrapeJob.js';
import { ScrapeLoop } from './scrapeLoop.js';
import type { TargetHealth } from './scrapeLoop.js';
import type { ScrapeMetrics } from './scrapeMetrics.js';
import { targetsOf } from './scrapeTarget.js';

export interface ScrapeManagerOptions {
  readonly jobs: readonly ScrapeJob[];
  readonly sink: (req: WriteRequest) => Promise<unknown>;
  readonly tenant: string;
  readonly parserLimits: ExpositionLimits;
  /** Largest response body of a job without body_size_limit. */
  readonly defaultBodyLimitBytes: number;
  readonly metrics: ScrapeMetrics;
  readonly logger: Logger;
  readonly userAgent: string;
  /** Jobs scraped by something other than HTTP (the self-scrape reads the registry in-process). */
  readonly fetchers?: ReadonlyMap<string, ScrapeFetcher>;
  /** Jobs whose targets scrape once at start, before their first slot. */
  readonly scrapeAtStart?: ReadonlySet<string>;
}

interface JobState {
  readonly job: ScrapeJob;
  readonly fetcher: ScrapeFetcher;
  /** Groups by provider (static_configs, file_sd_configs.N). */
  readonly groups: Map<string, TargetGroup[]>;
  readonly loops: Map<string, ScrapeLoop>;
  readonly discovery: FileSd[];
  /** Reconciliations run one after the other, so that a loop is never started twice. */
  pending: Promise<void>;
}

/**
 * Runs every job: discovers targets (static and file_sd), relabels them, and keeps one scrape
 * loop per target — new targets start, vanished ones stop with stale markers. start() /
 * shutdown() are the usual lifecycle; shutdown writes no stale markers (the targets did not go
 * away; Vigil did, and will resume).
 */
export class ScrapeManager {
  private readonly states: JobState[] = [];
  private readonly offsetSeed: number;
  private stopped = false;

  constructor(private readonly options: ScrapeManagerOptions) {
    // Prometheus seeds the offsets with its external labels and host name, so that an HA pair does not scrape in lockstep.
    this.offsetSeed = [...hostname()].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 2 ** 31, 7);
  }

  async start(): Promise<void> {
    for (const job of this.options.jobs) {
      const fetcher =
        this.options.fetchers?.get(job.jobName) ??
        httpFetcher({ auth: job.auth, followRedirects: job.followRedirects, bodyLimitBytes: job.bodySizeLimit > 0 ? job.bodySizeLimit : this.options.defaultBodyLimitBytes, userAgent: this.options.userAgent });
      const state: JobState = { job, fetcher, groups: new Map(), loops: new Map(), discovery: [], pending: Promise.resolve() };
      this.states.push(state);
      state.groups.set('static_configs', [...job.staticGroups]);
      for (const [i, config] of job.fileSd.entries()) {
        const sd = new FileSd({
          config,
          onGroups: (groups) => {
            state.groups.set(`file_sd_configs.${i}`, groups);
            this.reconcile(state);
          },
          onError: (file, message) => {
            this.options.metrics.discoveryFailures.inc({ job: job.jobName });
            this.options.logger.warn({ job: job.jobName, file, err: message }, 'file_sd: cannot use the file; keeping its last good targets');
          },
        });
        state.discovery.push(sd);
      }
      this.reconcile(state);
      await Promise.all(state.discovery.map((sd) => sd.start()));
      await state.pending;
    }
    this.options.logger.info({ jobs: this.states.map((s) => s.job.jobName), targets: this.targetCount() }, 'scraper started');
  }

  /** Stops discovery and every loop (no stale markers); idempotent. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.states) for (const sd of s.discovery) sd.stop();
    await Promise.all(this.states.map((s) => s.pending));
    await Promise.all(this.states.flatMap((s) => [...s.loops.values()].map((l) => l.stop(false))));
  }

  /** Every target's labels, URL and health, by job. */
  targets(): { job: string; labels: Readonly<Record<string, string>>; url: string; health: TargetHealth }[] {
    return this.states.flatMap((s) => [...s.loops.values()].map((l) => ({ job: s.job.jobName, labels: l.target.labels, url: l.target.url, health: l.health })));
  }

  private targetCount(): number {
    return this.states.reduce((n, s) => n + s.loops.size, 0);
  }

  private reconcile(state: JobState): void {
    state.pending = state.pending.then(() => this.reconcileNow(state)).catch((err: unknown) => this.options.logger.error({ err, job: state.job.jobName }, 'scrape reconciliation failed'));
  }

  private async reconcileNow(state: JobState): Promise<void> {
    if (this.stopped) return;
    const { job } = state;
    const { targets, problems } = targetsOf(job, [...state.groups.values()].flat());
    for (const p of problems) this.options.logger.warn({ job: job.jobName, problem: p }, 'target refused');
    const wanted = new Map(targets.map((t) => [t.key, t]));
    const gone = [...state.loops.entries()].filter(([key]) => !wanted.has(key));
    for (const [key] of gone) state.loops.delete(key);
    for (const [key, target] of wanted) {
      if (state.loops.has(key)) continue;
      const loop = new ScrapeLoop({
        target,
        append: job,
        fetcher: state.fetcher,
        sink: this.options.sink,
        tenant: this.options.tenant,
        parserLimits: this.options.parserLimits,
        metrics: this.options.metrics,
        logger: this.options.logger,
        offsetSeed: this.offsetSeed,
        scrapeAtStart: this.options.scrapeAtStart?.has(job.jobName) ?? false,
      });
      state.loops.set(key, loop);
      loop.start();
    }
    this.options.metrics.targets.set({ job: job.jobName }, state.loops.size);
    // A target that went away: its series end now rather than fading over the lookback window.
    await Promise.all(gone.map(([, loop]) => loop.stop(true)));
  }
}
