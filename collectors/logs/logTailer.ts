import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { AgentLogEntry } from '../agent/otlpJson.js';
import { FileTail } from './fileTail.js';
import { globFiles } from './globFiles.js';
import { parsePodLogPath } from './kubernetesLog.js';
import { PositionsFile } from './positions.js';
import type { MultilineOptions } from './recordAssembler.js';
import { RecordAssembler } from './recordAssembler.js';

/** A group of files tailed alike. */
export interface LogSource {
  /** Absolute globs (`*`, `?`, `[…]`, `**`). */
  readonly include: readonly string[];
  /** Globs of files to leave out (e.g. rotated `*.gz`). */
  readonly exclude?: readonly string[];
  /** service.name of the lines, hence their `job` label; container logs use `<namespace>/<container>`. */
  readonly job: string;
  /** 'kubernetes': CRI or Docker JSON lines under /var/log/pods, labelled with namespace, pod and container. */
  readonly format: 'plain' | 'kubernetes';
  readonly multiline?: MultilineOptions;
}

export interface LogTailerOptions {
  readonly sources: readonly LogSource[];
  /** Where positions are kept across restarts. */
  readonly positionsFile: string;
  /** service.instance.id of the lines, hence their `instance` label. */
  readonly hostname: string;
  /**
   * Takes each batch of entries; resolves once they are safe (buffered or acknowledged). The tailer
   * advances its positions only then, and on rejection offers the same entries again after a while.
   */
  readonly sink: (entries: AgentLogEntry[]) => Promise<unknown>;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Time between looks at the files (default 1 s). */
  readonly pollIntervalMs?: number;
  /** Per file and poll (default 1 MiB). */
  readonly maxBytesPerRead?: number;
  /** Per poll over all files (default 4 MiB): bounds one batch well under the server's request limit. */
  readonly maxBytesPerPoll?: number;
  /** Longer lines are cut (default 256 KiB). */
  readonly maxLineBytes?: number;
  /** At most this many files are followed (default 1000). */
  readonly maxFiles?: number;
}

/**
 * Follows log files: start() polls every pollIntervalMs; files that newly match a glob are found
 * within ten polls (at once after a rotation); polls never overlap and never reject;
 * the timer does not keep the process alive; shutdown() is idempotent, waits for a poll in
 * flight and saves the positions.
 */
export interface LogTailer {
  start(): Promise<void>;
  /** One poll now (tests, and the first poll of start()). Never rejects. */
  pollOnce(): Promise<void>;
  shutdown(): Promise<void>;
}

interface Followed {
  readonly source: LogSource;
  tail: FileTail;
  assembler: RecordAssembler;
  readonly resource: Readonly<Record<string, string>>;
}

export function createLogTailer(opts: LogTailerOptions): LogTailer {
  const log = opts.logger;
  const interval = opts.pollIntervalMs ?? 1000;
  const tailOpts = { maxBytesPerRead: opts.maxBytesPerRead ?? 1 << 20, maxLineBytes: opts.maxLineBytes ?? 256 * 1024, scratch: Buffer.allocUnsafe(64 * 1024) };
  const maxBytesPerPoll = opts.maxBytesPerPoll ?? 4 << 20;
  const maxFiles = opts.maxFiles ?? 1000;
  const files = new Gauge({ name: 'vigil_agent_log_files', help: 'Log files being followed.', registers: [opts.registry] });
  const records = new Counter({ name: 'vigil_agent_log_records_total', help: 'Log records read and handed on.', registers: [opts.registry] });
  const events = new Counter({ name: 'vigil_agent_log_file_events_total', help: 'Files opened, rotated (renamed or deleted), truncated, or failing to open.', labelNames: ['event'] as const, registers: [opts.registry] });

  const followed = new Map<string, Followed>();
  let positions: PositionsFile | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  /** Entries read but not yet accepted by the sink: offered again before anything new is read. */
  let unsent: { entries: AgentLogEntry[]; offsets: Map<Followed, number> } | undefined;
  let cursor = 0;
  // Globs are expanded every DISCOVER_EVERY polls, and at once after a rotation (to open the new file).
  const DISCOVER_EVERY = 10;
  let pollsSinceDiscovery = DISCOVER_EVERY;

  const resourceOf = (source: LogSource, path: string): Record<string, string> => {
    if (source.format === 'kubernetes') {
      const p = parsePodLogPath(path);
      if (p !== undefined) {
        return {
          'service.name': `${p.namespace}/${p.container}`,
          'service.instance.id': opts.hostname,
          'k8s.namespace.name': p.namespace,
          'k8s.pod.name': p.pod,
          'k8s.pod.uid': p.podUid,
          'k8s.container.name': p.container,
        };
      }
    }
    return { 'service.name': source.job, 'service.instance.id': opts.hostname };
  };

  const discover = async (): Promise<void> => {
    const seen = new Set<string>();
    for (const source of opts.sources) {
      const excluded = new Set((await Promise.all((source.exclude ?? []).map((g) => globFiles(g)))).flat());
      for (const pattern of source.include) {
        for (const path of await globFiles(pattern)) {
          if (excluded.has(path) || seen.has(path)) continue;
          seen.add(path);
          if (followed.has(path) || followed.size >= maxFiles) continue;
          try {
            const tail = await FileTail.open(path, positions?.get(path), tailOpts);
            followed.set(path, { source, tail, assembler: new RecordAssembler(source.format === 'kubernetes', source.multiline, tail.lineOffset), resource: resourceOf(source, path) });
            events.inc({ event: 'opened' });
            log.info({ path, offset: tail.lineOffset }, 'following log file');
          } catch (err) {
            events.inc({ event: 'open_failed' });
            log.warn({ path, err: (err as Error).message }, 'cannot open log file');
          }
        }
      }
    }
    // Files no longer matched (deleted and not recreated) are let go once read to their end (read() reports rotation).
    positions?.retain(new Set([...seen, ...followed.keys()]));
  };

  const toEntries = (f: Followed, path: string, recs: readonly { body: string; timeNs: bigint | undefined; stream: string | undefined }[], nowNs: bigint, out: AgentLogEntry[]): void => {
    for (const r of recs) {
      const attributes: Record<string, string> = { 'log.file.path': path, 'log.file.name': basename(path) };
      if (r.stream !== undefined) attributes['log.iostream'] = r.stream;
      out.push({ timeNs: r.timeNs ?? nowNs, observedTimeNs: nowNs, body: r.body, resource: f.resource, attributes });
    }
  };

  const read = async (): Promise<{ entries: AgentLogEntry[]; offsets: Map<Followed, number> }> => {
    const entries: AgentLogEntry[] = [];
    const offsets = new Map<Followed, number>();
    const nowMs = Date.now();
    const nowNs = BigInt(nowMs) * 1_000_000n;
    let budget = maxBytesPerPoll;
    // Start where the last poll stopped, so that busy files early in the list cannot starve the rest.
    const all = [...followed];
    const order = [...all.slice(cursor % Math.max(all.length, 1)), ...all.slice(0, cursor % Math.max(all.length, 1))];
    cursor++;
    for (const [path, f] of order) {
      if (budget <= 0) break;
      let r;
      try {
        const before = f.tail.lineOffset;
        r = await f.tail.read(Math.min(budget, tailOpts.maxBytesPerRead));
        budget -= Math.max(0, f.tail.lineOffset - before);
      } catch (err) {
        log.warn({ path, err: (err as Error).message }, 'cannot read log file; it will be reopened');
        r = { lines: [], rotated: true, truncated: false };
        await f.tail.close();
      }
      if (r.truncated) {
        events.inc({ event: 'truncated' });
        log.info({ path }, 'log file truncated; reading from its start');
        f.assembler = new RecordAssembler(f.source.format === 'kubernetes', f.source.multiline, 0);
      }
      toEntries(f, path, f.assembler.push(r.lines, nowMs), nowNs, entries);
      toEntries(f, path, f.assembler.flush(nowMs, r.rotated), nowNs, entries);
      offsets.set(f, f.assembler.safeOffset);
      if (r.rotated) {
        events.inc({ event: 'rotated' });
        pollsSinceDiscovery = DISCOVER_EVERY;
        followed.delete(path);
      }
    }
    return { entries, offsets };
  };

  const commit = (offsets: Map<Followed, number>): void => {
    for (const [f, offset] of offsets) {
      // A rotated file's position goes with it; the new file under the path starts at 0.
      if (followed.get(f.tail.path) === f) positions?.set(f.tail.path, { dev: f.tail.dev, ino: f.tail.ino, offset });
    }
  };

  const poll = async (): Promise<void> => {
    try {
      positions ??= await PositionsFile.load(opts.positionsFile);
      if (unsent === undefined) {
        if (pollsSinceDiscovery >= DISCOVER_EVERY) {
          await discover();
          pollsSinceDiscovery = 0;
        }
        pollsSinceDiscovery++;
        const batch = await read();
        files.set(followed.size);
        if (batch.entries.length === 0) {
          commit(batch.offsets);
          await positions.save();
          return;
        }
        unsent = batch;
      }
      await opts.sink(unsent.entries);
      records.inc(unsent.entries.length);
      commit(unsent.offsets);
      unsent = undefined;
      await positions.save();
    } catch (err) {
      log.warn({ err }, 'log poll failed; the lines read are offered again at the next poll');
    }
  };

  const pollOnce = (): Promise<void> => {
    if (inFlight === undefined) inFlight = poll().finally(() => (inFlight = undefined));
    return inFlight;
  };

  const loop = async (): Promise<void> => {
    await pollOnce();
    if (stopped) return;
    timer = setTimeout(() => void loop(), interval);
    timer.unref();
  };

  return {
    async start() {
      positions ??= await PositionsFile.load(opts.positionsFile);
      void loop();
    },
    pollOnce,
    async shutdown() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inFlight;
      for (const f of followed.values()) await f.tail.close();
      followed.clear();
      await positions?.save().catch((err: unknown) => log.warn({ err }, 'could not save log positions'));
    },
  };
}
