import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { ScrapeFetcher, ScrapeJob } from '../../collectors/index.js';
import { createScrapeMetrics, loadScrapeJobs, ScrapeManager } from '../../collectors/index.js';
import type { PushPipeline } from '../../ingest/index.js';
import { expositionLimitsOf } from '../../ingest/index.js';
import type { Role } from '../role.js';

/** The job that scrapes Vigil itself, unless the scrape configuration names one "vigil". */
export const SELF_JOB = 'vigil';

/**
 * The Prometheus scraper: scrape.configFile's scrape_configs, plus Vigil's own metrics as job
 * "vigil" so that `up` answers from the first start. The self-scrape reads the registry
 * in-process — no HTTP, so no token to mint or store when authentication is on, and nothing a
 * reader could not already see through GET /metrics with a read token. Scrapes start once the
 * HTTP server listens (the self target's instance label is the address it listens on).
 */
export const scraperRole: Role = {
  name: 'scraper',
  dependsOn: ['ingest'],
  async start(ctx) {
    const { config } = ctx;
    const fileJobs = config.scrape.configFile === '' ? [] : loadScrapeJobs(config.scrape.configFile);
    const selfWanted = config.scrape.self && !fileJobs.some((j) => j.jobName === SELF_JOB);
    if (fileJobs.length === 0 && !selfWanted) return { stop: async () => undefined };
    const pipeline = ctx.services.get<PushPipeline>('pipeline');
    const logger = ctx.logger.child({ component: 'scraper' });
    const metrics = createScrapeMetrics(ctx.registry);
    const selfFetcher: ScrapeFetcher = async () => ({ contentType: ctx.registry.contentType, text: await ctx.registry.metrics() });
    let manager: ScrapeManager | undefined;

    ctx.http.addHook('onListen', async () => {
      const jobs = selfWanted ? [...fileJobs, selfJob(listenAddress(ctx.http.server.address(), config.http.host), config.scrape.selfIntervalMs)] : fileJobs;
      manager = new ScrapeManager({
        jobs,
        sink: (req) => pipeline.push(req),
        tenant: config.tenant.default,
        parserLimits: expositionLimitsOf(config.limits),
        defaultBodyLimitBytes: config.limits.maxRequestBytes,
        metrics,
        logger,
        userAgent: 'Vigil',
        fetchers: new Map(selfWanted ? [[SELF_JOB, selfFetcher]] : []),
        scrapeAtStart: new Set([SELF_JOB]),
      });
      // Scraping is not on the request path: start it without holding up the listener.
      manager.start().catch((err: unknown) => logger.error({ err }, 'scraper failed to start'));
    });
    return { stop: async () => manager?.shutdown() };
  },
};

function selfJob(address: string, intervalMs: number): ScrapeJob {
  return {
    jobName: SELF_JOB,
    intervalMs,
    timeoutMs: Math.min(10_000, intervalMs),
    metricsPath: '/metrics',
    scheme: 'http',
    params: {},
    honorLabels: false,
    honorTimestamps: true,
    followRedirects: false,
    auth: undefined,
    staticGroups: [{ targets: [address], labels: {}, source: 'the self-scrape' }],
    fileSd: [],
    relabel: [],
    metricRelabel: [],
    sampleLimit: 0,
    labelLimit: 0,
    labelNameLengthLimit: 0,
    labelValueLengthLimit: 0,
    bodySizeLimit: 0,
  };
}

/** host:port of the listener, with a wildcard address shown as this machine's name. */
function listenAddress(address: string | AddressInfo | null, configuredHost: string): string {
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const host = configuredHost === '0.0.0.0' || configuredHost === '::' ? hostname() : configuredHost;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
