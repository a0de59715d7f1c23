import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { encodeOtlpLogsProtobuf, encodeOtlpMetricsProtobuf } from '../../ingest/index.js';

/** The mapping cases under data/ (one OTLP JSON request and its expected output per file) and the encodings they are posted in. */
const dataDir = new URL('./data/', import.meta.url);

export interface Case<E> {
  file: string;
  description: string;
  request: Record<string, unknown>;
  expect: E & { rejected: number; errorMessageContains?: string[] };
}

export function cases<E>(dir: string): Case<E>[] {
  const folder = new URL(`${dir}/`, dataDir);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Omit<Case<E>, 'file'>) }));
}

export type Encoding = 'json' | 'protobuf' | 'gzip+json' | 'gzip+protobuf';
export const encodings: Encoding[] = ['json', 'protobuf', 'gzip+json', 'gzip+protobuf'];

export function body(request: Record<string, unknown>, encoding: Encoding, signal: 'metrics' | 'logs'): { payload: Buffer; headers: Record<string, string> } {
  const proto = encoding.endsWith('protobuf');
  const raw = proto
    ? Buffer.from(signal === 'metrics' ? encodeOtlpMetricsProtobuf(request) : encodeOtlpLogsProtobuf(request))
    : Buffer.from(JSON.stringify(request));
  const headers: Record<string, string> = { 'content-type': proto ? 'application/x-protobuf' : 'application/json' };
  if (encoding.startsWith('gzip')) headers['content-encoding'] = 'gzip';
  return { payload: encoding.startsWith('gzip') ? gzipSync(raw) : raw, headers };
}

