import type { LogStats } from '../../../storage/index.js';
import type { LogStream } from '../../logql/index.js';

/** Loki's JSON answers (pkg/util/marshal), written as text. */

export function successJson(data: string): string {
  return `{"status":"success","data":${data}}`;
}

/** `{"resultType":"streams","result":[{"stream":{…},"values":[["<ns>","line"],…]},…]}`. */
export function streamsDataJson(streams: readonly LogStream[]): string {
  const result = streams.map((s) => `{"stream":${JSON.stringify(s.labels)},"values":[${s.entries.map((e) => `["${e.timeNs}",${JSON.stringify(e.line)}]`).join(',')}]}`);
  return `{"resultType":"streams","result":[${result.join(',')}],"stats":${statsJson(streams)}}`;
}

/** The summary part of Loki's query statistics that Grafana shows. */
function statsJson(streams: readonly LogStream[]): string {
  let lines = 0;
  let bytes = 0;
  for (const s of streams) {
    lines += s.entries.length;
    for (const e of s.entries) bytes += Buffer.byteLength(e.line);
  }
  return JSON.stringify({ summary: { totalLinesProcessed: lines, totalBytesProcessed: bytes, totalEntriesReturned: lines } });
}

export function indexStatsJson(stats: LogStats): string {
  return JSON.stringify({ streams: stats.streams, chunks: stats.chunks, bytes: stats.bytes, entries: stats.entries });
}
