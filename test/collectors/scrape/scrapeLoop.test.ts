import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeJob } from '../../../collectors/index.js';
import { createScrapeMetrics, httpFetcher, ScrapeLoop, scrapeJobsOf, targetsOf } from '../../../collectors/index.js';
import type { WriteRequest } from '../../../core/index.js';
import { createLogger, formatSeries, isStaleNaN } from '../../../core/index.js';
import { DEFAULT_EXPOSITION_LIMITS } from '../../../ingest/index.js';

/**
 * One scrape loop against a real HTTP server on loopback whose answer each test sets: content
 * negotiation, gzip, credentials, failures and what they write (up, scrape_*, stale markers).
 */
interface Answer {
  status?: number;
  contentType?: string;
  body?: string;
  /** Never answer (a hung target). */
  hang?: boolean;
}

describe('scrape loop over HTTP', () => {
  let server: Server;
  let address = '';
  let answer: Answer = {};
  let lastRequest: IncomingMessage | undefined;
  let requests = 0;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-loop-'));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 's3cret\n');

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      lastRequest = req;
      requests++;
      if (answer.hang === true) return;
      const body = Buffer.from(answer.body ?? '');
      const gzip = String(req.headers['accept-encoding']).includes('gzip');
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/plain; version=0.0.4', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      res.end(gzip ? gzipSync(body) : body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  function loopFor(yaml: Record<string, unknown>): { loop: ScrapeLoop; written: WriteRequest[]; registry: Registry } {
    const job = scrapeJobsOf({ scrape_configs: [{ job_name: 'fixture', scrape_interval: '1m', static_configs: [{ targets: [address] }], ...yaml }] }, dir)[0] as ScrapeJob;
    const target = targetsOf(job, job.staticGroups).targets[0];
    if (target === undefined) throw new Error('no target');
    const written: WriteRequest[] = [];
    const registry = new Registry();
    const loop = new ScrapeLoop({
      target,
      append: job,
      fetcher: httpFetcher({ auth: job.auth, followRedirects: true, bodyLimitBytes: job.bodySizeLimit > 0 ? job.bodySizeLimit : 1 << 20, userAgent: 'Vigil' }),
      sink: async (req) => void written.push(req),
      tenant: 'default',
      parserLimits: DEFAULT_EXPOSITION_LIMITS,
      metrics: createScrapeMetrics(registry),
      logger: createLogger('silent'),
      offsetSeed: 0,
    });
    return { loop, written, registry };
  }

  /** The last write as {name or series: value}, "stale" for stale markers; target labels left out. */
  function values(req: WriteRequest | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of req?.series ?? []) {
      const { job: _job, instance: _instance, ...rest } = s.labels;
      const v = s.samples[0]?.v ?? NaN;
      out[formatSeries(rest)] = isStaleNaN(v) ? 'stale' : String(v);
    }
    return out;
  }

  it('asks for OpenMetrics first, with gzip, and parses what the Content-Type says', async () => {
    answer = { contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', body: '# TYPE c counter\nc_total 3 # {trace_id="x"} 1\n# EOF\n' };
    const { loop, written } = loopFor({});
    await loop.scrapeNow();
    expect(lastRequest?.headers.accept).toMatch(/^application\/openmetrics-text;version=1\.0\.0,.*text\/plain;version=0\.0\.4;q=0\.5/);
    expect(lastRequest?.headers['accept-encoding']).toBe('gzip');
    expect(lastRequest?.headers['x-prometheus-scrape-timeout-seconds']).toBe('10');
    expect(values(written[0])).toEqual({ c_total: '3', up: '1', scrape_duration_seconds: expect.any(String), scrape_samples_scraped: '1', scrape_samples_post_metric_relabeling: '1', scrape_series_added: '1' });
    expect(written[0]?.metadata).toEqual([{ metricFamilyName: 'c', type: 'counter', help: '', unit: '' }]);
    expect(loop.health.health).toBe('up');
  });

  it.each([
    { name: 'bearer_token_file', yaml: { bearer_token_file: 'token' }, header: 'Bearer s3cret' },
    { name: 'authorization credentials', yaml: { authorization: { type: 'Token', credentials: 'abc' } }, header: 'Token abc' },
    { name: 'basic_auth', yaml: { basic_auth: { username: 'u', password: 'p' } }, header: `Basic ${Buffer.from('u:p').toString('base64')}` },
  ])('sends credentials: $name', async ({ yaml, header }) => {
    answer = { body: 'm 1\n' };
    const { loop } = loopFor(yaml);
    await loop.scrapeNow();
    expect(lastRequest?.headers.authorization).toBe(header);
  });

  it.each([
    { name: 'an HTTP error', answer: { status: 401, body: 'no' }, yaml: {}, error: 'server returned HTTP status 401 Unauthorized' },
    { name: 'a parse error', answer: { body: 'm{a="1" 2\n' }, yaml: {}, error: 'line 1: expected "," or "}"' },
    { name: 'OpenMetrics without # EOF', answer: { contentType: 'application/openmetrics-text', body: 'm 1\n' }, yaml: {}, error: 'does not end with "# EOF"' },
    { name: 'a body over body_size_limit', answer: { body: `m{a="${'x'.repeat(4000)}"} 1\n` }, yaml: { body_size_limit: '1KB' }, error: 'body size limit exceeded: more than 1024 bytes' },
    { name: 'a target slower than the timeout', answer: { hang: true }, yaml: { scrape_timeout: '300ms' }, error: 'scrape timed out after 0.3s' },
    { name: 'more samples than sample_limit', answer: { body: 'a 1\nb 2\n' }, yaml: { sample_limit: 1 }, error: 'sample_limit exceeded' },
  ])('a failed scrape ($name): up 0, the error kept, stale markers for what the last scrape wrote', async ({ answer: a, yaml, error }) => {
    const { loop, written } = loopFor(yaml);
    answer = { body: 'kept 1\n' };
    await loop.scrapeNow();
    answer = a;
    await loop.scrapeNow();
    expect(loop.health).toMatchObject({ health: 'down', lastError: expect.stringContaining(error) });
    expect(values(written[1])).toEqual({ kept: 'stale', up: '0', scrape_duration_seconds: expect.any(String), scrape_samples_scraped: expect.any(String), scrape_samples_post_metric_relabeling: expect.any(String), scrape_series_added: '0' });
  });

  it('a target removed while a scrape hangs: the scrape is ended and only stale markers are written, no up 0', async () => {
    const { loop, written } = loopFor({ scrape_timeout: '30s', scrape_interval: '1m' });
    answer = { body: 'kept 1\n' };
    await loop.scrapeNow();
    answer = { hang: true };
    const before = requests;
    const hanging = loop.scrapeNow();
    while (requests === before) await new Promise((r) => setTimeout(r, 10));
    await loop.stop(true);
    await hanging;
    expect(written).toHaveLength(2);
    expect(values(written[1])).toEqual({ kept: 'stale', up: 'stale', scrape_duration_seconds: 'stale', scrape_samples_scraped: 'stale', scrape_samples_post_metric_relabeling: 'stale', scrape_series_added: 'stale' });
  });

  it('a series that disappears from the target goes stale at the next scrape; a target that goes away, all of it', async () => {
    const { loop, written, registry } = loopFor({});
    answer = { body: 'a 1\nb 2\n' };
    await loop.scrapeNow();
    answer = { body: 'a 1\n' };
    await loop.scrapeNow();
    expect(values(written[1])).toMatchObject({ a: '1', b: 'stale', up: '1', scrape_series_added: '0' });
    await loop.stop(true);
    expect(values(written[2])).toEqual({ a: 'stale', up: 'stale', scrape_duration_seconds: 'stale', scrape_samples_scraped: 'stale', scrape_samples_post_metric_relabeling: 'stale', scrape_series_added: 'stale' });
    expect(await registry.getSingleMetricAsString('vigil_scrape_scrapes_total')).toContain('vigil_scrape_scrapes_total{job="fixture",outcome="up"} 2');
  });
});
