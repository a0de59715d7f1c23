import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LogRecord } from '../../../core/index.js';

/**
 * LogQL tests as data: a YAML file holds stored streams and cases (query, range, expected
 * streams, matrix, vector or error). Times are seconds after T0. See stages.yaml.
 */
export const T0_MS = Date.UTC(2026, 0, 1);

export interface LokiCase {
  readonly name: string;
  readonly query: string;
  readonly start?: number;
  readonly end?: number;
  readonly step?: number;
  readonly instant?: number;
  readonly direction?: 'forward' | 'backward';
  readonly limit?: number;
  readonly streams?: readonly { labels: Record<string, string>; lines: [number, string][] }[];
  readonly matrix?: readonly { labels: Record<string, string>; values: [number, string][] }[];
  readonly vector?: readonly { labels: Record<string, string>; value: [number, string] }[];
  readonly error?: string;
}

export interface LokiCaseFile {
  readonly file: string;
  readonly records: LogRecord[];
  readonly cases: readonly LokiCase[];
}

export function loadCaseFiles(dir: string): LokiCaseFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { streams: { labels: Record<string, string>; lines: [number, string][] }[]; cases: LokiCase[] };
      const records = doc.streams.flatMap((s) => s.lines.map(([at, body]) => record(s.labels, at, body)));
      return { file, records, cases: doc.cases };
    });
}

function record(stream: Record<string, string>, atSeconds: number, body: string): LogRecord {
  const timeNs = BigInt(T0_MS + Math.round(atSeconds * 1000)) * 1_000_000n;
  return { timeNs, observedTimeNs: timeNs, severityNumber: 0, severityText: '', body, stream, attributes: {}, resource: {}, traceId: '', spanId: '' };
}

/** A case's expected answer in Loki's JSON (`data`), with streams and series in a canonical order. */
export function expectedData(c: LokiCase): unknown {
  const at = (s: number): number => T0_MS / 1000 + s;
  if (c.streams !== undefined) {
    return { resultType: 'streams', result: canonical(c.streams.map((s) => ({ stream: s.labels, values: s.lines.map(([t, line]) => [String(BigInt(T0_MS + t * 1000) * 1_000_000n), line]) })), 'stream') };
  }
  if (c.matrix !== undefined) return { resultType: 'matrix', result: canonical(c.matrix.map((s) => ({ metric: s.labels, values: s.values.map(([t, v]) => [at(t), v]) })), 'metric') };
  if (c.vector !== undefined) return { resultType: 'vector', result: canonical(c.vector.map((s) => ({ metric: s.labels, value: [at(s.value[0]), s.value[1]] })), 'metric') };
  throw new Error(`case ${c.name} expects nothing`);
}

/** Sorts results by their label sets so that the files need not know the API's stream order. */
export function canonical<T extends Record<string, unknown>>(result: readonly T[], key: string): T[] {
  const id = (r: T): string => JSON.stringify(Object.entries(r[key] as Record<string, string>).sort());
  return [...result].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}
