import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentLogEntry, LogSource, LogTailer } from '../../collectors/index.js';
import { createLogTailer, globFiles, parseContainerLine, parsePodLogPath, parseRfc3339Nanos } from '../../collectors/index.js';
import { createLogger } from '../../core/index.js';

const podsFixture = join(import.meta.dirname, 'data/pods');

let dir: string;
let received: AgentLogEntry[];
let tailers: LogTailer[];

beforeEach(() => {
  dir = mkdtempSync(join(os.tmpdir(), 'vigil-tail-'));
  received = [];
  tailers = [];
});
afterEach(async () => {
  for (const t of tailers) await t.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

function tailer(sources: LogSource[], sink?: (e: AgentLogEntry[]) => Promise<unknown>): LogTailer {
  const t = createLogTailer({
    sources,
    positionsFile: join(dir, 'positions.json'),
    hostname: 'node-1',
    sink: sink ?? (async (entries) => void received.push(...entries)),
    registry: new Registry(),
    logger: createLogger('silent'),
  });
  tailers.push(t);
  return t;
}

const plain = (include: string[], extra: Partial<LogSource> = {}): LogSource[] => [{ include, job: 'app', format: 'plain', ...extra }];
const bodies = (): string[] => received.map((e) => e.body);

describe('log tailer, plain files', () => {
  it('reads whole lines only, and what is appended later', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, 'one\ntwo\nthr');
    const t = tailer(plain([join(dir, '*.log')]));
    await t.pollOnce();
    expect(bodies()).toEqual(['one', 'two']);
    appendFileSync(f, 'ee\r\nfour\n');
    await t.pollOnce();
    expect(bodies()).toEqual(['one', 'two', 'three', 'four']);
    expect(received[0]).toMatchObject({ resource: { 'service.name': 'app', 'service.instance.id': 'node-1' }, attributes: { 'log.file.path': f, 'log.file.name': 'app.log' } });
  });

  it('finds a file that appears later within ten polls', async () => {
    const t = tailer(plain([join(dir, '*.log')]));
    await t.pollOnce();
    writeFileSync(join(dir, 'late.log'), 'late line\n');
    for (let i = 0; i < 10; i++) await t.pollOnce();
    expect(bodies()).toEqual(['late line']);
  });

  it('keeps its position across restarts: nothing repeated, nothing skipped', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, 'a\nb\n');
    const first = tailer(plain([f]));
    await first.pollOnce();
    await first.shutdown();
    appendFileSync(f, 'c\n');
    const positions = JSON.parse(readFileSync(join(dir, 'positions.json'), 'utf8')) as { positions: Record<string, { offset: number }> };
    expect(positions.positions[f]?.offset).toBe(4);
    const second = tailer(plain([f]));
    await second.pollOnce();
    expect(bodies()).toEqual(['a', 'b', 'c']);
  });

  it('follows a rename-and-create rotation: the old file\'s end, then the new file from its start', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, 'before\n');
    const t = tailer(plain([join(dir, '*.log')]));
    await t.pollOnce();
    appendFileSync(f, 'last of old\nunterminated');
    renameSync(f, `${f}.1`);
    writeFileSync(f, 'first of new\n');
    await t.pollOnce();
    await t.pollOnce();
    expect(bodies()).toEqual(['before', 'last of old', 'unterminated', 'first of new']);
  });

  it('starts over when a file is truncated in place (copytruncate)', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, 'long line one\nlong line two\n');
    const t = tailer(plain([f]));
    await t.pollOnce();
    truncateSync(f, 0);
    appendFileSync(f, 'new\n');
    await t.pollOnce();
    expect(bodies()).toEqual(['long line one', 'long line two', 'new']);
  });

  it('a new file under a remembered name is read from its start', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, 'x\ny\n');
    const first = tailer(plain([f]));
    await first.pollOnce();
    await first.shutdown();
    rmSync(f);
    writeFileSync(f, 'z\n');
    const second = tailer(plain([f]));
    await second.pollOnce();
    expect(bodies()).toEqual(['x', 'y', 'z']);
  });

  it('offers the same lines again when the sink refuses them, and moves on only once taken', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, 'p\nq\n');
    let refuse = true;
    const t = tailer(plain([f]), async (entries) => {
      if (refuse) throw new Error('server away');
      received.push(...entries);
    });
    await t.pollOnce();
    await t.pollOnce();
    expect(bodies()).toEqual([]);
    refuse = false;
    appendFileSync(f, 'r\n');
    await t.pollOnce();
    await t.pollOnce();
    expect(bodies()).toEqual(['p', 'q', 'r']);
  });

  it('joins multi-line records by their first line and keeps an unfinished one across a restart', async () => {
    const f = join(dir, 'app.log');
    const src = plain([f], { multiline: { firstLine: '^\\d{4}-\\d{2}-\\d{2} ', timeoutMs: 60_000 } });
    writeFileSync(f, 'orphan continuation\n2026-12-06 ERROR boom\n  at a()\n  at b()\n2026-12-06 INFO next\n  detail\n');
    const first = tailer(src);
    await first.pollOnce();
    expect(bodies()).toEqual(['orphan continuation', '2026-12-06 ERROR boom\n  at a()\n  at b()']);
    await first.shutdown();
    appendFileSync(f, '2026-12-06 INFO third\n');
    const second = tailer(src);
    await second.pollOnce();
    expect(bodies()).toEqual(['orphan continuation', '2026-12-06 ERROR boom\n  at a()\n  at b()', '2026-12-06 INFO next\n  detail']);
  });

  it('sends a multi-line record that waited longer than its timeout', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, '2026-12-06 only\n  more\n');
    const t = tailer(plain([f], { multiline: { firstLine: '^\\d{4}', timeoutMs: 0 } }));
    await t.pollOnce();
    expect(bodies()).toEqual(['2026-12-06 only\n  more']);
  });

  it('reads at most maxBytesPerPoll per poll, taking turns between files, and loses nothing', async () => {
    const lines = (name: string): string[] => Array.from({ length: 20 }, (_, i) => `${name} line ${String(i).padStart(2, '0')}`);
    writeFileSync(join(dir, 'a.log'), `${lines('a').join('\n')}\n`);
    writeFileSync(join(dir, 'b.log'), `${lines('b').join('\n')}\n`);
    const t = createLogTailer({ sources: plain([join(dir, '*.log')]), positionsFile: join(dir, 'p.json'), hostname: 'h', sink: async (e) => void received.push(...e), registry: new Registry(), logger: createLogger('silent'), maxBytesPerPoll: 100 });
    tailers.push(t);
    await t.pollOnce();
    // Ten bytes a line: one poll takes at most ten lines of the forty.
    expect(received.length).toBeLessThanOrEqual(10);
    for (let i = 0; i < 20; i++) await t.pollOnce();
    expect(bodies().filter((b) => b.startsWith('a'))).toEqual(lines('a'));
    expect(bodies().filter((b) => b.startsWith('b'))).toEqual(lines('b'));
  });

  it('cuts a line longer than the limit into pieces', async () => {
    const f = join(dir, 'app.log');
    writeFileSync(f, `${'x'.repeat(10)}\n`);
    const t = createLogTailer({ sources: plain([f]), positionsFile: join(dir, 'p.json'), hostname: 'h', sink: async (e) => void received.push(...e), registry: new Registry(), logger: createLogger('silent'), maxLineBytes: 4 });
    tailers.push(t);
    await t.pollOnce();
    expect(bodies()).toEqual(['xxxx', 'xxxx', 'xx']);
  });
});

describe('log tailer, Kubernetes container logs', () => {
  it('labels lines with namespace, pod and container, joins partial lines and keeps the runtime\'s timestamps', async () => {
    cpSync(podsFixture, join(dir, 'var/log/pods'), { recursive: true });
    const t = tailer([{ include: [join(dir, 'var/log/pods/*/*/*.log')], job: 'unused', format: 'kubernetes' }]);
    await t.pollOnce();
    const nginx = received.filter((e) => e.resource['k8s.container.name'] === 'nginx');
    expect(nginx.map((e) => [e.body, e.attributes['log.iostream'], e.timeNs])).toEqual([
      ['GET /index.html 200', 'stdout', 1796551200123456789n],
      ['a long line split by the runtime, second piece, last piece', 'stderr', 1796551201000000001n],
      ['an offset zone', 'stdout', 1796551202000000000n],
      ['', 'stdout', 1796551203000000000n],
    ]);
    expect(nginx[0]?.resource).toEqual({
      'service.name': 'shop/nginx',
      'service.instance.id': 'node-1',
      'k8s.namespace.name': 'shop',
      'k8s.pod.name': 'web-7d9f',
      'k8s.pod.uid': '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      'k8s.container.name': 'nginx',
    });
    const dns = received.filter((e) => e.resource['k8s.namespace.name'] === 'kube-system');
    expect(dns.map((e) => [e.body, e.attributes['log.iostream']])).toEqual([
      ['[INFO] plugin/reload: Running configuration', 'stdout'],
      ['partial start and its end', 'stderr'],
      // Neither format: kept as it is rather than lost.
      ['not a container log line', undefined],
    ]);
  });

  it.each<[string, ReturnType<typeof parseContainerLine>]>([
    ['2026-12-06T10:00:00Z stdout F hello world', { timeNs: 1796551200000000000n, stream: 'stdout', partial: false, content: 'hello world' }],
    ['2026-12-06T10:00:00.5Z stderr P piece', { timeNs: 1796551200500000000n, stream: 'stderr', partial: true, content: 'piece' }],
    ['2026-12-06T10:00:00Z stdout F', { timeNs: 1796551200000000000n, stream: 'stdout', partial: false, content: '' }],
    ['{"log":"x\\n","stream":"stdout","time":"2026-12-06T10:00:00Z"}', { timeNs: 1796551200000000000n, stream: 'stdout', partial: false, content: 'x' }],
    ['{"log":"x","time":"2026-12-06T10:00:00Z"}', { timeNs: 1796551200000000000n, stream: 'stdout', partial: true, content: 'x' }],
    ['2026-12-06 10:00:00 stdout F no', undefined],
    ['2026-12-06T10:00:00Z stdin F no', undefined],
    ['2026-12-06T10:00:00Z stdout X no', undefined],
    ['{"log":1,"time":"2026-12-06T10:00:00Z"}', undefined],
    ['{not json', undefined],
  ])('parseContainerLine(%j)', (line, want) => {
    expect(parseContainerLine(line)).toEqual(want);
  });

  it.each([
    ['/var/log/pods/shop_web-7d9f_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/nginx/0.log', { namespace: 'shop', pod: 'web-7d9f', podUid: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', container: 'nginx' }],
    ['/var/log/pods/shop_web_notauid/nginx/0.log', undefined],
    ['/var/log/syslog', undefined],
  ])('parsePodLogPath(%s)', (path, want) => {
    expect(parsePodLogPath(path)).toEqual(want);
  });

  it('parses RFC 3339 times to the nanosecond', () => {
    expect(parseRfc3339Nanos('1970-01-01T00:00:01.000000001Z')).toBe(1_000_000_001n);
    expect(parseRfc3339Nanos('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(parseRfc3339Nanos('yesterday')).toBeUndefined();
  });
});

describe('globFiles', () => {
  beforeEach(() => {
    for (const p of ['a/x.log', 'a/y.txt', 'a/b/z.log', 'a/b/c/w.log', 'a/.hidden.log', 'a/[1].log']) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), '');
    }
  });

  it.each<[string, string[]]>([
    ['a/*.log', ['a/[1].log', 'a/x.log']],
    ['a/?.log', ['a/x.log']],
    ['a/[xy].*', ['a/x.log', 'a/y.txt']],
    ['a/[!x].*', ['a/y.txt']],
    ['a/**/*.log', ['a/[1].log', 'a/x.log', 'a/b/z.log', 'a/b/c/w.log']],
    ['a/b/z.log', ['a/b/z.log']],
    ['a/.*.log', ['a/.hidden.log']],
    ['nowhere/*.log', []],
  ])('%s', async (pattern, want) => {
    const got = await globFiles(join(dir, pattern));
    expect(got.map((p) => p.slice(dir.length + 1)).sort()).toEqual([...want].sort());
  });

  it('refuses a relative pattern', async () => {
    await expect(globFiles('logs/*.log')).rejects.toThrow(/absolute/);
  });
});
