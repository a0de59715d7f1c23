import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPOSITION_LIMITS, ExpositionError, expositionFormatOf, parseExposition } from '../../../ingest/index.js';
import { errorCases, validCases } from './expositionCases.js';

const data = (name: string): string => readFileSync(join(import.meta.dirname, 'data', name), 'utf8');

/** Samples as plain data, `timestampMs` only when set, so that toEqual compares what matters. */
const plain = (samples: ReturnType<typeof parseExposition>['samples']) =>
  samples.map((x) => (x.timestampMs === undefined ? { labels: x.labels, value: x.value } : { labels: x.labels, value: x.value, timestampMs: x.timestampMs }));

describe('exposition parser: what Prometheus reads from valid input', () => {
  it.each(validCases)('$name', (c) => {
    const parsed = parseExposition(c.text, c.format);
    expect(plain(parsed.samples)).toEqual(c.samples);
    if (c.metadata !== undefined) expect(parsed.metadata).toEqual(c.metadata);
  });
});

describe('exposition parser: errors name the line and the problem', () => {
  it.each(errorCases)('$name', (c) => {
    let caught: unknown;
    try {
      parseExposition(c.text, c.format, { ...DEFAULT_EXPOSITION_LIMITS, ...c.limits });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ExpositionError);
    const err = caught as ExpositionError;
    expect(err.line).toBe(c.line);
    expect(err.message).toMatch(new RegExp(`^line ${c.line}: `));
    expect(err.message).toContain(c.message);
  });
});

describe('exposition parser on whole expositions', () => {
  it("reads every sample line and every family of node_exporter's /metrics (Debian 1.5, captured)", () => {
    const text = data('node-exporter.prom');
    const parsed = parseExposition(text, 'prometheus');
    const lines = text.split('\n');
    const sampleLines = lines.filter((l) => l !== '' && !l.startsWith('#'));
    expect(parsed.samples).toHaveLength(sampleLines.length);
    const typed = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(parsed.metadata.map((m) => m.metricFamilyName).sort()).toEqual([...typed].sort());
    // Each sample's name is the first token of its line, in order.
    expect(parsed.samples.map((x) => x.labels.__name__)).toEqual(sampleLines.map((l) => /^[^{ ]+/.exec(l)?.[0]));
    const uname = parsed.samples.find((x) => x.labels.__name__ === 'node_uname_info');
    expect(uname?.labels.sysname).toBe('Linux');
    expect(parsed.metadata.find((m) => m.metricFamilyName === 'node_cpu_seconds_total')).toEqual({
      metricFamilyName: 'node_cpu_seconds_total',
      type: 'counter',
      help: 'Seconds the CPUs spent in each mode.',
      unit: '',
    });
  });

  it('reads an OpenMetrics exposition with every family type, units, exemplars and _created', () => {
    const parsed = parseExposition(data('openmetrics-families.txt'), 'openmetrics');
    expect(parsed.samples).toHaveLength(24);
    expect(parsed.metadata.map((m) => [m.metricFamilyName, m.type, m.unit])).toEqual([
      ['acme_http_router_request_seconds', 'summary', 'seconds'],
      ['go_goroutines', 'gauge', ''],
      ['process_cpu_seconds', 'counter', 'seconds'],
      ['rpc_duration_seconds', 'histogram', 'seconds'],
      ['queue_depth', 'gaugehistogram', ''],
      ['build', 'info', ''],
      ['feature', 'stateset', ''],
      ['temperature', 'unknown', ''],
    ]);
    expect(parsed.metadata[0]?.help).toBe('Latency though all of ACME\'s HTTP request router, with a "quoted" word and a \\ backslash.');
    const byKey = new Map(parsed.samples.map((x) => [JSON.stringify(x.labels), x]));
    expect(byKey.get(JSON.stringify({ __name__: 'rpc_duration_seconds_bucket', le: '0.01' }))?.value).toBe(12);
    expect(byKey.get(JSON.stringify({ __name__: 'build_info', version: '1.2.3', revision: 'abc"def\\g\nh' }))?.value).toBe(1);
    const lab = byKey.get(JSON.stringify({ __name__: 'temperature', room: 'lab' }));
    expect(lab?.value).toBeNaN();
    expect(lab?.timestampMs).toBe(1605281325500);
    expect(byKey.get(JSON.stringify({ __name__: 'temperature', room: 'roof' }))?.value).toBe(-Infinity);
  });
});

describe('format negotiation', () => {
  it.each([
    [undefined, 'prometheus'],
    ['text/plain; version=0.0.4; charset=utf-8', 'prometheus'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['Application/OpenMetrics-Text', 'openmetrics'],
    ['application/json', 'prometheus'],
  ] as const)('Content-Type %s is parsed as %s', (contentType, format) => {
    expect(expositionFormatOf(contentType)).toBe(format);
  });
});
