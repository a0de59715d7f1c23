import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../core/index.js';
import { createLogger } from '../../core/index.js';
import { prometheusApi } from '../../query/index.js';
import { MemoryStore } from './memoryStore.js';
import type { PrometheusServer } from './prometheusServer.js';
import { prometheusInstalled, startPrometheus } from './prometheusServer.js';

/**
 * Differential test against a real Prometheus (2.42 from Debian, when installed): the same
 * samples are loaded into Prometheus' TSDB (promtool) and into the query path, and the same
 * requests must get byte-identical answers. Vigil follows 2.42's windows, closed at both ends
 * (Prometheus 3 opens them at the old end).
 */

const T0 = 1_700_000_000_000;
const series: TimeSeries[] = [
  { labels: { __name__: 'up', job: 'api', instance: 'a:9090' }, samples: range(0, 600, 15).map((s, i) => ({ t: T0 + s * 1000, v: i % 3 === 0 ? 0 : 1 })) },
  { labels: { __name__: 'up', job: 'db', instance: 'b:9090' }, samples: range(0, 120, 15).map((s) => ({ t: T0 + s * 1000, v: 1 })) },
  {
    labels: { __name__: 'temperature_celsius', room: 'lab <1>', sensor: 'x&y' },
    samples: [21.5, 0.1, -3.25, 1e-7, 1.5e21, 123456.789, NaN, Infinity, -Infinity, 0].map((v, i) => ({ t: T0 + i * 30_000 + 250, v })),
  },
  { labels: { __name__: 'http_requests_total', code: '200', path: '/a' }, samples: range(0, 600, 60).map((s) => ({ t: T0 + s * 1000, v: s * 10 })) },
  { labels: { __name__: 'http_requests_total', code: '500', path: '/a' }, samples: range(300, 600, 60).map((s) => ({ t: T0 + s * 1000, v: s })) },
];

const requests = [
  '/api/v1/query?query=up&time=1700000007.5',
  '/api/v1/query?query=up&time=1700000400',
  '/api/v1/query?query=up{job="api"}&time=2023-11-14T22:20:00.123Z',
  '/api/v1/query?query=temperature_celsius&time=1700000100',
  '/api/v1/query?query=http_requests_total{code=~"2..|5.."}&time=1700000500',
  '/api/v1/query?query={__name__=~"up|http_requests_total",path!="/b"}&time=1700000333.333',
  '/api/v1/query?query=temperature_celsius[10m]&time=1700000333',
  '/api/v1/query?query=http_requests_total[2m]&time=1700000570',
  '/api/v1/query?query=nothing_here&time=1700000000',
  '/api/v1/query_range?query=up&start=1700000001&end=1700000700&step=30',
  '/api/v1/query_range?query=temperature_celsius&start=1700000010&end=1700000330&step=20s',
  '/api/v1/query_range?query=http_requests_total{code="500"}&start=1700000000.5&end=1700001000.5&step=1m',
  // The evaluator: offset, @, subqueries (alignment with an off-grid time), window edges, range stepping.
  '/api/v1/query?query=up{job="api"} offset 1m&time=1700000400',
  '/api/v1/query?query=up{job="api"} @ 1700000100&time=1700000400',
  '/api/v1/query?query=http_requests_total[2m] offset 1m&time=1700000480',
  '/api/v1/query?query=http_requests_total{code="200"}[3m:45s]&time=1700000500',
  '/api/v1/query?query=count_over_time(up{job="db"}[5m:1m])&time=1700000333',
  '/api/v1/query?query=rate(http_requests_total{code="200"}[5m])&time=1700000300',
  '/api/v1/query?query="a"&time=1700000000',
  '/api/v1/query?query=1.5&time=1700000000',
  '/api/v1/query_range?query=sum_over_time(up{job="api"}[2m:30s])&start=1700000010&end=1700000700&step=45',
  '/api/v1/query_range?query=rate(http_requests_total[3m])&start=1700000000&end=1700000600&step=60',
  '/api/v1/query_range?query=up{job="api"} @ end()&start=1700000000&end=1700000300&step=60',
  '/api/v1/query_range?query=-up&start=1700000000&end=1700000200&step=20',
  '/api/v1/query_range?query=time()&start=1700000000&end=1700000120&step=60',
  '/api/v1/series?match[]=up&match[]=http_requests_total{code="500"}',
  '/api/v1/series?match[]={__name__=~".%2B"}&start=1700000000&end=1700000100',
  '/api/v1/labels',
  '/api/v1/labels?match[]=temperature_celsius',
  '/api/v1/label/job/values',
  '/api/v1/label/__name__/values',
  '/api/v1/label/instance/values?match[]=up{job="db"}',
  // Errors Prometheus words the same way.
  '/api/v1/query?query=up&time=yesterday',
  '/api/v1/query_range?query=up&start=x&end=1&step=1',
  '/api/v1/query_range?query=up&start=10&end=5&step=1',
  '/api/v1/query_range?query=up&start=0&end=5&step=0',
  '/api/v1/query_range?query=up&start=0&end=5&step=x',
  '/api/v1/query_range?query=up&start=0&end=11001&step=1',
  '/api/v1/series',
  '/api/v1/series?match[]=up&start=x',
  '/api/v1/labels?end=soon',
  '/api/v1/label/1bad/values',
  // format_query: Prometheus' pretty printer, line breaks and indents included.
  ...formatQueries().map((q) => `/api/v1/format_query?query=${encodeURIComponent(q)}`),
];

function formatQueries(): string[] {
  const text = readFileSync(new URL('./data/formatQueries.promql', import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Same status and errorType, different words: parse errors by design (Vigil: "parse error at
 * char N: …"), and query_range's expression errors, which Prometheus 2.42 does not prefix with
 * `invalid parameter "query"` while current releases (and Vigil) do.
 */
const wordedDifferently = [
  '/api/v1/query_range?query=up[5m]&start=0&end=60&step=15',
  '/api/v1/query',
  '/api/v1/query?query=up{', '/api/v1/query?query=up{job=~"("}', '/api/v1/series?match[]={a=""}', '/api/v1/query_range?query=up}&start=0&end=1&step=1'];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let s = from; s <= to; s += step) out.push(s);
  return out;
}




// Skipped only on a developer machine without the Debian package; CI installs it (.ci/install-prometheus.sh) and must run this.
describe.skipIf(!prometheusInstalled && process.env.CI !== 'true')('conformance with a real Prometheus', () => {
  let prom: PrometheusServer | undefined;
  let base: string;
  let vigil: FastifyInstance;

  beforeAll(async () => {
    prom = await startPrometheus(series);
    base = prom.base;

    vigil = Fastify();
    await vigil.register(prometheusApi, { store: new MemoryStore().add('default', ...series), registry: new Registry(), logger: createLogger('silent') });
    await vigil.ready();
  }, 60_000);

  afterAll(async () => {
    prom?.stop();
    await vigil?.close();
  });

  it.each(requests)('%s', async (url) => {
    const theirs = await fetch(base + url);
    const ours = await vigil.inject({ url });
    expect({ status: ours.statusCode, body: ours.body }).toEqual({ status: theirs.status, body: await theirs.text() });
  });

  it.each(wordedDifferently)('%s (status and errorType)', async (url) => {
    const theirs = await fetch(base + url);
    const ours = await vigil.inject({ url });
    const pick = (b: { status: string; errorType: string }): unknown => ({ status: b.status, errorType: b.errorType });
    expect({ code: ours.statusCode, ...(pick(ours.json()) as object) }).toEqual({ code: theirs.status, ...(pick((await theirs.json()) as never) as object) });
  });

  it('answers a form-encoded POST as Prometheus does', async () => {
    const form = 'query=up&start=1700000001&end=1700000200&step=45';
    const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form };
    const theirs = await fetch(`${base}/api/v1/query_range`, init);
    const ours = await vigil.inject({ method: 'POST', url: '/api/v1/query_range', headers: init.headers, payload: form });
    expect(ours.body).toBe(await theirs.text());
  });
});
