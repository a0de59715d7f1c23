/*
 * Log ingest benchmark: npx tsx bench/logs/ingest.ts [-- --lines 600000 --connections 4]
 *
 * Starts the built `vigil start --syslog-port N` (as a child process, embedded bus and DuckDB) and
 * prints lines/s acknowledged as durable (counted by the pipeline once the bus has them) for:
 *   - syslog over TCP: RFC 5424, octet counting, `--connections` senders writing as fast as TCP
 *     lets them (the receiver pauses reading when the bus pushes back);
 *   - Loki push, JSON and snappy protobuf: 5,000 lines per request, `--connections` in flight.
 * Lines come from 20 apps on 10 hosts, ~100-200 bytes each, as a busy host's syslog looks.
 * Besides wall-clock lines/s it prints lines per CPU-second of the server process (from
 * /proc/PID/stat), which a shared, loaded machine distorts far less.
 * Target (issue 11): ≥ 100k lines/s each.
 *
 * Measured 2026-12-06 on the shared 2-core machine under load average 23-24 (six other agents'
 * test suites), so wall-clock rates say little; per server CPU-second (the writer into DuckDB runs
 * in the same process and is included):
 *   --lines 150000: syslog 5.9k lines/s (48k per CPU-s), Loki JSON 6.8k (45k), protobuf 10.5k (44k)
 *   --lines 60000:  syslog 25k lines/s (31k per CPU-s), Loki JSON 22k (43k), protobuf 74k (68k)
 * Later, load 5-6: --lines 300000: syslog 25k lines/s (24k per CPU-s), Loki JSON 93k (71k),
 *   protobuf 94k (63k); --lines 100000, load 4.8: syslog 35k (27k), JSON 60k (46k), protobuf 79k (34k).
 *   Syslog records carry attributes (structured data, proc_id, peer) that Loki's here do not:
 *   more bytes through v8.serialize/deserialize and the store's attribute JSON.
 * A CPU profile of the server (NODE_ARGS_FOR_VIGIL="--cpu-prof ...") puts the receivers' own work
 * (framing, parsing) at ~5 % of busy time; the rest is the shared log path: GC 15 %, the writer's
 * v8.deserialize of bus records 8 % and serialize 3 %, DuckDB varchar appends and attribute JSON.
 * The ≥ 100k target therefore needs the log write path (bus encoding of log records, the
 * writer) made cheaper, not the receivers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import snappy from 'snappyjs';
import { freePort, startVigil } from '../../test/support/index.js';

const { values: args } = parseArgs({ options: { lines: { type: 'string', default: '600000' }, connections: { type: 'string', default: '4' } } });
const LINES = Number(args.lines);
const CONNECTIONS = Number(args.connections);
const PER_REQUEST = 5_000;

function line(i: number): { host: string; app: string; text: string } {
  return { host: `host-${i % 10}`, app: `app-${i % 20}`, text: `request ${i} handled in ${(i * 7) % 1000} ms path=/api/v1/items/${i % 5000} status=${i % 17 === 0 ? 500 : 200} user=u${i % 300}` };
}

async function acceptedLogs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^vigil_ingest_accepted_total\{kind="logs"\} (\d+)/m.exec(text);
  return m === null ? 0 : Number(m[1]);
}

async function untilAccepted(url: string, target: number): Promise<void> {
  while ((await acceptedLogs(url)) < target) await new Promise((r) => setTimeout(r, 20));
}

async function syslogRun(url: string, port: number): Promise<number> {
  const now = new Date().toISOString();
  const chunks: Buffer[][] = Array.from({ length: CONNECTIONS }, () => []);
  for (let c = 0; c < CONNECTIONS; c++) {
    let parts: string[] = [];
    for (let i = c; i < LINES; i += CONNECTIONS) {
      const { host, app, text } = line(i);
      const msg = `<134>1 ${now} ${host} ${app} ${1000 + (i % 50)} - [req@32473 id="${i}"] ${text}`;
      parts.push(`${Buffer.byteLength(msg)} ${msg}`);
      if (parts.length === 2000) {
        chunks[c]?.push(Buffer.from(parts.join('')));
        parts = [];
      }
    }
    if (parts.length > 0) chunks[c]?.push(Buffer.from(parts.join('')));
  }
  const base = await acceptedLogs(url);
  const started = performance.now();
  await Promise.all(
    chunks.map(async (list) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      for (const chunk of list) if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
      await new Promise<void>((r) => socket.end(() => r()));
    }),
  );
  await untilAccepted(url, base + LINES);
  return LINES / ((performance.now() - started) / 1000);
}

function lokiBodies(kind: 'json' | 'protobuf'): Buffer[] {
  const tsBase = BigInt(Date.now() - 60_000) * 1_000_000n;
  const bodies: Buffer[] = [];
  for (let start = 0; start < LINES; start += PER_REQUEST) {
    const byStream = new Map<string, { labels: Record<string, string>; values: [string, string][] }>();
    for (let i = start; i < Math.min(LINES, start + PER_REQUEST); i++) {
      const { host, app, text } = line(i);
      const key = `${host}/${app}`;
      let s = byStream.get(key);
      if (s === undefined) byStream.set(key, (s = { labels: { job: app, host }, values: [] }));
      s.values.push([String(tsBase + BigInt(i)), text]);
    }
    const streams = [...byStream.values()];
    bodies.push(kind === 'json' ? Buffer.from(JSON.stringify({ streams: streams.map((s) => ({ stream: s.labels, values: s.values })) })) : Buffer.from(snappy.compress(new Uint8Array(encodePushRequest(streams)))));
  }
  return bodies;
}

/** logproto.PushRequest by hand (the benchmark must not time an encoder): see ingest/loki/lokiProtobuf.ts. */
function encodePushRequest(streams: { labels: Record<string, string>; values: [string, string][] }[]): Buffer {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n > 127) {
      out.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  };
  const field = (no: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([(no << 3) | 2, ...varint(payload.length)]), payload]);
  return Buffer.concat(
    streams.map((s) => {
      const labels = `{${Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
      const entries = s.values.map(([ts, text]) => {
        const ns = BigInt(ts);
        const timestamp = Buffer.from([0x08, ...varint(Number(ns / 1_000_000_000n)), 0x10, ...varint(Number(ns % 1_000_000_000n))]);
        return field(2, Buffer.concat([field(1, timestamp), field(2, Buffer.from(text))]));
      });
      return field(1, Buffer.concat([field(1, Buffer.from(labels)), ...entries]));
    }),
  );
}

async function lokiRun(url: string, kind: 'json' | 'protobuf'): Promise<number> {
  const bodies = lokiBodies(kind);
  const headers = { 'content-type': kind === 'json' ? 'application/json' : 'application/x-protobuf' };
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as Buffer;
        for (;;) {
          const res = await fetch(`${url}/loki/api/v1/push`, { method: 'POST', headers, body });
          if (res.status === 204) break;
          if (res.status !== 429) throw new Error(`push answered ${res.status}: ${await res.text()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }),
  );
  return LINES / ((performance.now() - started) / 1000);
}

/** CPU seconds (user + system) the process used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function measure(name: string, pid: number, run: () => Promise<number>): Promise<number> {
  const cpu0 = cpuSeconds(pid);
  const rate = await run();
  const cpu = cpuSeconds(pid) - cpu0;
  console.log(`  ${name.padEnd(40)} ${Math.round(rate).toLocaleString('en').padStart(9)} lines/s   ${Math.round(LINES / cpu).toLocaleString('en').padStart(9)} lines per server CPU-second`);
  return rate;
}

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-logs-'));
const syslogPort = await freePort();
const vigil = await startVigil({ dataDir, args: ['--syslog-port', String(syslogPort)], env: { VIGIL_LOG_LEVEL: 'warn' } });
try {
  console.log(`log ingest: ${LINES} lines per run, ${CONNECTIONS} connections, load ${loadavg()[0]?.toFixed(1)}`);
  const pid = vigil.proc.pid ?? 0;
  const syslog = await measure('syslog TCP (RFC 5424, octet counting)', pid, () => syslogRun(vigil.url, syslogPort));
  const json = await measure('Loki push JSON', pid, () => lokiRun(vigil.url, 'json'));
  const proto = await measure('Loki push snappy protobuf', pid, () => lokiRun(vigil.url, 'protobuf'));
  console.log(`  target ≥ 100,000 lines/s: ${[syslog, json, proto].every((r) => r >= 100_000) ? 'met' : 'NOT met'}`);
} finally {
  await vigil.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
