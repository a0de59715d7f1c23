import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSeries } from '../../../core/index.js';
import type { ImportHarness } from './importHarness.js';
import { importHarness, NOW_MS } from './importHarness.js';

/** What the pipeline published, as "series value@t" lines, sorted. */
function published(h: ImportHarness): string[] {
  return h.producer
    .payloads('metrics')
    .flatMap((p) => p.series.flatMap((s) => s.samples.map((x) => `${formatSeries(s.labels)} ${x.v}@${x.t}`)))
    .sort();
}

describe('POST /api/v1/import/prometheus', () => {
  let h: ImportHarness;
  beforeAll(async () => {
    h = await importHarness({ maxRequestBytes: 64 * 1024 });
  });
  afterAll(async () => h.app.close());

  const post = (payload: string | Buffer, headers: Record<string, string> = {}, query = '') =>
    h.app.inject({ method: 'POST', url: `/api/v1/import/prometheus${query}`, headers: { 'content-type': 'text/plain', ...headers }, payload });

  interface Case {
    readonly name: string;
    readonly body: string | Buffer;
    readonly headers: Record<string, string>;
    readonly query: string;
  }

  it.each<Case & { expected: string[] }>([
    {
      name: 'samples without a timestamp get the time of the request; with one keep it',
      body: 'a{x="1"} 1\nb 2 1700000000000\n',
      headers: {},
      query: '',
      expected: [`a{x="1"} 1@${NOW_MS}`, 'b 2@1700000000000'],
    },
    {
      name: 'extra_label adds labels to every series, replacing one of the same name',
      body: 'a{x="1",env="dev"} 1\n',
      headers: {},
      query: '?extra_label=env=prod&extra_label=team=core',
      expected: [`a{env="prod", team="core", x="1"} 1@${NOW_MS}`],
    },
    {
      name: 'OpenMetrics by Content-Type (float-second timestamps)',
      body: '# TYPE c counter\nc_total 5 1700000000.5\n# EOF\n',
      headers: { 'content-type': 'application/openmetrics-text; version=1.0.0' },
      query: '',
      expected: ['c_total 5@1700000000500'],
    },
    {
      name: 'a gzip body',
      body: gzipSync('g 7\n'),
      headers: { 'content-encoding': 'gzip' },
      query: '',
      expected: [`g 7@${NOW_MS}`],
    },
  ])('$name', async ({ body, headers, query, expected }) => {
    h.producer.sent.length = 0;
    const res = await post(body, headers, query);
    expect(res.statusCode, res.body).toBe(204);
    expect(published(h)).toEqual(expected);
  });

  it("stores every sample of node_exporter's exposition, with the families' metadata", async () => {
    h.producer.sent.length = 0;
    const text = readFileSync(join(import.meta.dirname, 'data', 'node-exporter.prom'), 'utf8');
    const res = await post(text);
    expect(res.statusCode, res.body).toBe(204);
    const sampleLines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(published(h)).toHaveLength(sampleLines.length);
    const metadata = h.producer.payloads('metrics').flatMap((p) => p.metadata);
    expect(metadata.find((m) => m.metricFamilyName === 'node_load1')).toEqual({ metricFamilyName: 'node_load1', type: 'gauge', help: '1m load average.', unit: '' });
  });

  it.each<Case & { status: number; error: string }>([
    { name: 'a syntax error names the line', body: 'ok 1\nbad{a="1" 2\n', headers: {}, query: '', status: 400, error: 'cannot parse the exposition: line 2: expected "," or "}" after the value of label a in bad' },
    { name: 'OpenMetrics without # EOF', body: 'a 1\n', headers: { 'content-type': 'application/openmetrics-text' }, query: '', status: 400, error: 'does not end with "# EOF"' },
    { name: 'a bad extra_label', body: 'a 1\n', headers: {}, query: '?extra_label=1bad=x', status: 400, error: 'extra_label "1bad=x"' },
    { name: 'an unknown Content-Encoding', body: 'a 1\n', headers: { 'content-encoding': 'br' }, query: '', status: 415, error: 'Content-Encoding "br" is not supported' },
    { name: 'a corrupt gzip body', body: Buffer.from('not gzip'), headers: { 'content-encoding': 'gzip' }, query: '', status: 400, error: 'cannot decompress the gzip body' },
    { name: 'a gzip bomb', body: gzipSync(Buffer.alloc(1024 * 1024, 0x20)), headers: { 'content-encoding': 'gzip' }, query: '', status: 413, error: 'larger than the limit of 65536 bytes once decompressed' },
  ])('$name → $status', async ({ body, headers, query, status, error }) => {
    h.producer.sent.length = 0;
    const res = await post(body, headers, query);
    expect(res.statusCode).toBe(status);
    expect((res.json() as { error: string }).error).toContain(error);
    expect(h.producer.sent).toEqual([]);
  });

  it('stores the valid series and names the refused ones when some break a limit', async () => {
    h.producer.sent.length = 0;
    const res = await post(`ok 1\nold 2 ${NOW_MS - 400 * 24 * 3600_000}\n`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { data: { accepted: number; rejected: number }; warnings: string[] };
    expect(body.data).toEqual({ accepted: 1, rejected: 1 });
    expect(body.warnings[0]).toContain('old');
    expect(published(h)).toEqual([`ok 1@${NOW_MS}`]);
  });

  it('counts requests by outcome in its own metric', async () => {
    const own = await importHarness();
    const send = (payload: string) => own.app.inject({ method: 'POST', url: '/api/v1/import/prometheus', headers: { 'content-type': 'text/plain' }, payload });
    expect((await send('a 1\n')).statusCode).toBe(204);
    expect((await send(`a 1\nold 1 ${NOW_MS - 400 * 24 * 3600_000}\n`)).statusCode).toBe(200);
    expect((await send('a{\n')).statusCode).toBe(400);
    const text = await own.registry.getSingleMetricAsString('vigil_import_prometheus_requests_total');
    for (const outcome of ['ok', 'partial', '4xx']) expect(text).toContain(`vigil_import_prometheus_requests_total{outcome="${outcome}"} 1`);
    await own.app.close();
  });
});

describe('POST /api/v1/import/prometheus bounds', () => {
  it('refuses more samples than one per 32 bytes of the size limit, naming the line, and stores nothing', async () => {
    const h = await importHarness({ maxRequestBytes: 64 * 1024 });
    const body = 'a 1\n'.repeat(2049); // 8 KiB of tiny lines: 2049 samples, the bound is 2048
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/import/prometheus', headers: { 'content-type': 'text/plain' }, payload: body });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: string }).error).toContain('line 2049: more than 2048 samples');
    expect(h.producer.sent).toEqual([]);
    await h.app.close();
  });
});
