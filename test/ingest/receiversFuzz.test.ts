import { join } from 'node:path';
import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { isVigilError, limitsSchema } from '../../core/index.js';
import { decodeLokiBody, eventFromJson, FrameDecoder, jsonLineToLogRecord, DEFAULT_JSON_LINE_FIELDS, parseGraphiteLine, parseSyslog, parseWavefrontLine } from '../../ingest/index.js';
import { prng, Rng } from './fuzzInputs.js';

/**
 * Every wire format the log and plaintext receivers parse, fuzzed with random, mutated and
 * truncated inputs (and lengths that lie): each input must parse or fail with a VigilError (a 4xx
 * or a counted, skipped frame) — never another exception — within bounded time and memory.
 * VIGIL_FUZZ_SEED reproduces a run; a failure names its seed, iteration and input.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_0011);
const INPUTS = Number(process.env.VIGIL_FUZZ_INPUTS ?? 100_000);
const NOW_MS = Date.now();
const limits = limitsSchema.parse({});

const now = new Date(NOW_MS).toISOString();
const syslogCorpus = [
  `<165>1 ${now} mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event`,
  `<13>1 ${now} vm root 123 - [timeQuality tzKnown="1" isSynced="0"] \u{feff}octet msg ü`,
  '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - message',
  '<27>Dec  6 20:49:11 vm myapp[7697]: hello 3164',
  '<30>2026-12-06T19:00:00.5Z web nginx[1]: GET /',
  '<0>1 - - - - - -',
  '<13>just text',
];
const graphiteCorpus = ['servers.web1.cpu.user 42.5 1700000000', 'disk.used;datacenter=dc1;rack=a1 -3e2 1700000000.25', 'a nan -1'];
const wavefrontCorpus = ['system.cpu.loadavg.1m 0.03 1700000000 source=web1', 'request.count 1001 source=web1 env="prod" "dc name"="us west"', '"quoted.name" -2 1700000000123 host="a \\"b\\""'];
const lokiJsonCorpus = [
  JSON.stringify({ streams: [{ stream: { job: 'a', env: 'p' }, values: [[`${BigInt(NOW_MS) * 1_000_000n}`, 'line 1'], [`${BigInt(NOW_MS) * 1_000_000n}`, 'line 2', { trace_id: 'abc' }]] }] }),
  JSON.stringify({ streams: [{ stream: { a: 'b' }, values: [] }, { stream: { c: 'd' }, values: [['1', '']] }] }),
];
const jsonLineCorpus = [
  JSON.stringify({ _time: now, _msg: 'user logged in', app: 'auth', level: 'info', user: { id: 7, roles: ['a'] } }),
  JSON.stringify({ reason: 'BackOff', type: 'Warning', involvedObject: { kind: 'Pod', name: 'p', namespace: 'n' }, firstTimestamp: now, lastTimestamp: now, count: 3, source: { component: 'kubelet' } }),
  JSON.stringify({ reason: 'R', type: 'Normal', regarding: { kind: 'Pod', name: 'p' }, eventTime: now, series: { count: 2, lastObservedTime: now }, note: 'x' }),
];
const PushRequest = protobuf.loadSync(join(import.meta.dirname, 'loki', 'data', 'push.proto')).lookupType('logproto.PushRequest');
const lokiProtoCorpus = [
  Buffer.from(
    PushRequest.encode(
      PushRequest.fromObject({
        streams: [
          { labels: '{job="varlogs", filename="/var/log/syslog"}', entries: [{ timestamp: { seconds: Math.floor(NOW_MS / 1000), nanos: 5 }, line: 'hello', structuredMetadata: [{ name: 'k', value: 'v' }] }] },
          { labels: "{a='b', c=`d`}", entries: [{ timestamp: { seconds: Math.floor(NOW_MS / 1000) }, line: '' }, { line: 'no timestamp' }] },
        ],
      }),
    ).finish(),
  ),
];

/** A mutation of one corpus entry, or random bytes: the classic byte-level operators. */
function mutate(rng: Rng, corpus: readonly Buffer[]): Buffer {
  const base = Buffer.from(rng.pick(corpus));
  switch (rng.int(9)) {
    case 0:
      return rng.bytes(rng.int(200));
    case 1: {
      for (let n = 1 + rng.int(4); n > 0 && base.length > 0; n--) base[rng.int(base.length)] = rng.int(256);
      return base;
    }
    case 2:
      return base.subarray(0, rng.int(base.length + 1));
    case 3: {
      const at = rng.int(base.length + 1);
      return Buffer.concat([base.subarray(0, at), rng.bytes(1 + rng.int(16)), base.subarray(at)]);
    }
    case 4: {
      const at = rng.int(base.length + 1);
      return Buffer.concat([base.subarray(0, at), base.subarray(at + 1 + rng.int(16))]);
    }
    case 5: {
      const at = rng.int(base.length + 1);
      const len = rng.int(base.length - at + 1);
      return Buffer.concat([base.subarray(0, at + len), base.subarray(at, at + len), base.subarray(at + len)]);
    }
    case 6: {
      // A digit run replaced by a huge or negative number: lengths, counts and timestamps that lie.
      const text = base.toString('latin1');
      const huge = rng.pick(['99999999999999999999', '-1', '4294967296', '18446744073709551615', '0', '1e308']);
      return Buffer.from(text.replace(/\d+/, huge), 'latin1');
    }
    case 7: {
      const other = rng.pick(corpus);
      return Buffer.concat([base.subarray(0, rng.int(base.length + 1)), other.subarray(rng.int(other.length + 1))]);
    }
    default: {
      // A structural character at a random place: quotes, brackets, separators.
      const at = rng.int(base.length + 1);
      return Buffer.concat([base.subarray(0, at), Buffer.from(rng.pick(['"', '[', ']', '{', '}', '=', ' ', '\\', ';', ':', '\n', '\u0000', '\u{feff}'])), base.subarray(at)]);
    }
  }
}

/**
 * A valid snappy block holding `data` as one literal: what a compressor emits for incompressible
 * bytes, built by hand because snappyjs' compressor allocates a 32 KiB table per call, which would
 * make the fuzzer time the generator rather than the parser.
 */
function snappyLiteral(data: Buffer): Buffer {
  const n = data.length;
  const length: number[] = [];
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      length.push(v);
      break;
    }
    length.push((v % 128) | 128);
  }
  if (n === 0) return Buffer.from(length);
  const tag = n - 1 < 60 ? [(n - 1) << 2] : n - 1 < 256 ? [60 << 2, n - 1] : [61 << 2, (n - 1) & 0xff, (n - 1) >> 8];
  return Buffer.concat([Buffer.from(length), Buffer.from(tag), data]);
}

/** Protobuf mutations that must reach the reader: varints with lying lengths, then snappy. */
function mutateLokiProto(rng: Rng): Buffer {
  if (rng.chance(0.1)) return rng.bytes(rng.int(64)); // not snappy at all
  let proto = mutate(rng, lokiProtoCorpus);
  if (rng.chance(0.15)) {
    const at = rng.int(proto.length + 1);
    const lie = rng.pick([[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], [0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0x0b], [0x0f, 0x01]]);
    proto = Buffer.concat([proto.subarray(0, at), Buffer.from(lie), proto.subarray(at)]);
  }
  const compressed = rng.chance(0.9) ? snappyLiteral(proto) : Buffer.from(snappy.compress(new Uint8Array(proto)));
  if (rng.chance(0.1)) compressed[rng.int(compressed.length)] = rng.int(256);
  return compressed;
}

interface Target {
  readonly name: string;
  input(rng: Rng): Buffer;
  run(input: Buffer): unknown;
}

const buffers = (list: readonly string[]): Buffer[] => list.map((s) => Buffer.from(s));
const receivedNs = BigInt(NOW_MS) * 1_000_000n;

const targets: Target[] = [
  { name: 'syslog messages (RFC 5424 and 3164)', input: (rng) => mutate(rng, buffers(syslogCorpus)), run: (b) => parseSyslog(b.toString('utf8'), NOW_MS) },
  { name: 'graphite lines', input: (rng) => mutate(rng, buffers(graphiteCorpus)), run: (b) => parseGraphiteLine(b.toString('utf8'), NOW_MS) },
  { name: 'wavefront lines', input: (rng) => mutate(rng, buffers(wavefrontCorpus)), run: (b) => parseWavefrontLine(b.toString('utf8'), NOW_MS) },
  { name: 'Loki JSON bodies', input: (rng) => mutate(rng, buffers(lokiJsonCorpus)), run: (b) => decodeLokiBody(b, 'application/json', undefined, limits) },
  { name: 'Loki snappy protobuf bodies', input: mutateLokiProto, run: (b) => decodeLokiBody(b, 'application/x-protobuf', undefined, limits) },
  {
    name: 'JSON log lines and events',
    input: (rng) => mutate(rng, buffers(jsonLineCorpus)),
    run: (b) => {
      let obj: unknown;
      try {
        obj = JSON.parse(b.toString('utf8'));
      } catch {
        return undefined; // the route reports unparsable JSON before mapping; mapping is what is fuzzed here
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
      const record = obj as Record<string, unknown>;
      try {
        jsonLineToLogRecord(record, { ...DEFAULT_JSON_LINE_FIELDS, stream: ['app'] }, receivedNs);
      } finally {
        eventFromJson(record, 'line 1');
      }
      return undefined;
    },
  },
];

describe.each(targets.map((t, i) => [t.name, t, i] as const))('fuzzing %s', (_name, target, i) => {
  it(`${INPUTS} random, mutated and truncated inputs: parsed or a VigilError, never a crash; bounded time and memory`, async () => {
    const seed = SEED + i;
    const rng = new Rng(prng(seed));
    const failures: string[] = [];
    let ok = 0;
    let refused = 0;
    let slowestMs = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let n = 0; n < INPUTS && failures.length < 5; n++) {
      const input = target.input(rng);
      const started = performance.now();
      try {
        await target.run(input);
        ok++;
      } catch (err) {
        if (isVigilError(err)) refused++;
        else failures.push(`seed ${seed} (VIGIL_FUZZ_SEED=${SEED}) iteration ${n}, ${input.length} bytes ${input.subarray(0, 160).toString('hex')}\n  → ${(err as Error).stack ?? String(err)}`);
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`${target.name}: seed ${seed}, ${ok} parsed, ${refused} refused, slowest ${slowestMs.toFixed(1)} ms, heap +${heapGrowthMb.toFixed(0)} MB`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    // Both outcomes occur: the mutations get past the first byte.
    expect(ok).toBeGreaterThan(INPUTS / 100);
    expect(refused).toBeGreaterThan(INPUTS / 100);
    expect(slowestMs).toBeLessThan(2000);
    expect(heapGrowthMb).toBeLessThan(100);
  }, 120_000);
});

describe('fuzzing the TCP framing (RFC 6587)', () => {
  const MAX = 2048;
  const messages = syslogCorpus.map((m) => Buffer.from(m));

  it(`${INPUTS / 10} streams of valid frames, cut at random points, give back exactly the frames sent`, () => {
    const rng = new Rng(prng(SEED + 100));
    for (let n = 0; n < INPUTS / 10; n++) {
      const sent = Array.from({ length: 1 + rng.int(8) }, () => rng.pick(messages));
      const wire = Buffer.concat(sent.map((m) => (rng.chance(0.5) ? Buffer.concat([Buffer.from(`${m.length} `), m]) : Buffer.concat([m, Buffer.from(rng.chance(0.5) ? '\n' : '\r\n')]))));
      const got: string[] = [];
      const decoder = new FrameDecoder(MAX, true);
      const out = { frame: (f: Buffer) => got.push(f.toString()), bad: (_r: string, d: string) => got.push(`BAD ${d}`) };
      for (let at = 0; at < wire.length; ) {
        const len = 1 + rng.int(40);
        decoder.push(wire.subarray(at, at + len), out);
        at += len;
      }
      decoder.end(out);
      expect(got, `seed ${SEED + 100} iteration ${n}`).toEqual(sent.map((m) => m.toString()));
    }
  });

  it(`${INPUTS} mutated and random streams: no exception, no frame over the limit, bounded buffering`, () => {
    const rng = new Rng(prng(SEED + 101));
    const framed = messages.map((m) => Buffer.concat([Buffer.from(`${m.length} `), m, Buffer.from('\n'), m, Buffer.from('\n')]));
    let frames = 0;
    let bad = 0;
    for (let n = 0; n < INPUTS; n++) {
      const decoder = new FrameDecoder(MAX, true);
      const wire = rng.chance(0.05) ? Buffer.concat([Buffer.from(`${rng.pick(['99999999999', '4294967296', '3000', '9'])} `), rng.bytes(rng.int(5000))]) : mutate(rng, framed);
      const out = {
        frame: (f: Buffer) => {
          frames++;
          if (f.length > MAX) throw new Error(`frame of ${f.length} bytes passed the limit`);
        },
        bad: () => bad++,
      };
      for (let at = 0; at < wire.length; ) {
        const len = 1 + rng.int(300);
        decoder.push(wire.subarray(at, at + len), out);
        at += len;
      }
      decoder.end(out);
    }
    expect(frames).toBeGreaterThan(INPUTS);
    expect(bad).toBeGreaterThan(0);
  });
});
