import { fdatasync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../../../core/index.js';
import type { Bus, BusRecord, Consumer, ConsumerOptions, Producer, TopicStats } from '../bus.js';
import { topicPartition } from '../bus.js';
import { BusMetrics } from './busMetrics.js';
import type { ConsumerHost } from './embeddedConsumer.js';
import { EmbeddedConsumer } from './embeddedConsumer.js';
import { GroupCommitScheduler } from './groupCommit.js';
import { GroupOffsets } from './groupOffsets.js';
import type { EmbeddedBusOptions, ResolvedBusOptions } from './options.js';
import { resolveBusOptions } from './options.js';
import type { PartitionLog } from './partitionLog.js';
import { fsyncDirectorySync } from './durableFile.js';
import { assertGroupName, assertTopicName, groupsDir, topicsDir } from './names.js';
import { TopicLog } from './topicLog.js';
import { lagBytes, lagReadings, slowestCommitted } from './groupPositions.js';
import { validateRecords } from './validateRecords.js';

type State = 'new' | 'open' | 'closing' | 'closed';

/**
 * The embedded durable bus: topics of partitioned, segmented logs on local disk, consumer
 * groups with durable offsets. A send is written to the segment files synchronously (one
 * gathered write per partition) and acknowledged after a group-commit fsync; consumers see
 * only records an fsync has covered. All file work for one call happens in one turn of the
 * event loop, so calls never interleave inside a segment.
 */
export class EmbeddedBus implements Bus {
  private readonly options: ResolvedBusOptions;
  private readonly metrics: BusMetrics;
  private readonly scheduler: GroupCommitScheduler;
  private readonly topics = new Map<string, TopicLog>();
  private readonly groups = new Map<string, GroupOffsets>();
  private readonly claims = new Set<string>();
  private readonly consumers = new Set<EmbeddedConsumer>();
  private dirty = new Set<PartitionLog>();
  private state: State = 'new';
  private closing: Promise<void> | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiring: Promise<void> | undefined;
  /** Set when an fsync failed: what was written since can no longer be promised durable. */
  private failure: unknown;

  constructor(options: EmbeddedBusOptions) {
    this.options = resolveBusOptions(options);
    this.metrics = new BusMetrics(this.options.registry, () => lagReadings(this.groups.values(), this.topics));
    this.scheduler = new GroupCommitScheduler({
      windowMs: this.options.groupCommitMs,
      flush: () => this.flush(),
      onRound: (sends) => this.metrics.sendsPerFsync.observe(sends),
    });
  }

  /** Opens the directory: recovers every topic's segments and loads every group's offsets. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new VigilError('conflict', 'embedded bus was already started');
    const root = this.options.dir;
    mkdirSync(topicsDir(root), { recursive: true });
    mkdirSync(groupsDir(root), { recursive: true });
    fsyncDirectorySync(root);
    for (const entry of readdirSync(topicsDir(root), { withFileTypes: true })) {
      if (!entry.isDirectory() || !isValidName(entry.name, assertTopicName)) {
        this.options.logger.warn({ entry: entry.name }, 'ignoring a stray entry in the bus topics directory');
        continue;
      }
      this.openTopic(entry.name);
    }
    for (const file of readdirSync(groupsDir(root))) {
      if (file.endsWith('.tmp')) {
        rmSync(join(groupsDir(root), file), { force: true }); // an offsets write the crash interrupted
        continue;
      }
      const group = file.slice(0, -'.json'.length);
      if (!file.endsWith('.json') || !isValidName(group, assertGroupName)) {
        this.options.logger.warn({ file }, 'ignoring a stray file in the bus groups directory');
        continue;
      }
      this.groups.set(group, await GroupOffsets.load(group, join(groupsDir(root), file), this.options.clock));
    }
    this.state = 'open';
    // Checked often enough that a group is forgotten within ~1/10 of the retention of expiring.
    const every = Math.min(60_000, Math.max(10, Math.floor(this.options.groupRetentionMs / 10)));
    this.expiryTimer = setInterval(() => void this.expireIdleGroupsOnce(), every);
    this.expiryTimer.unref();
    this.options.logger.info({ dir: root, topics: [...this.topics.keys()], groups: [...this.groups.keys()] }, 'embedded bus opened');
  }

  producer(): Producer {
    return { send: (topic, records) => this.send(topic, records) };
  }

  consumer(options: ConsumerOptions): Consumer {
    assertGroupName(options.group);
    if (options.topics.length === 0) throw new VigilError('bad_data', 'a consumer needs at least one topic');
    for (const topic of options.topics) assertTopicName(topic);
    if (!Number.isInteger(options.maxBatchRecords) || options.maxBatchRecords < 1) {
      throw new VigilError('bad_data', `maxBatchRecords must be a positive integer, got ${options.maxBatchRecords}`);
    }
    if (!Number.isFinite(options.maxWaitMs) || options.maxWaitMs < 0) throw new VigilError('bad_data', `maxWaitMs must be >= 0, got ${options.maxWaitMs}`);
    this.assertOpen();
    const consumer = new EmbeddedConsumer(this.consumerHost(), options);
    this.consumers.add(consumer);
    return consumer;
  }

  private async send(topic: string, records: readonly BusRecord[]): Promise<void> {
    this.assertOpen(topic);
    assertTopicName(topic);
    const keys = validateRecords(records, this.options.maxRecordBytes, (reason) => this.metrics.rejectedSends.inc({ topic, reason }));
    if (records.length === 0) return;
    const log = this.topic(topic);
    const lag = lagBytes(log, [...this.groups.values()]);
    if (lag > this.options.maxLagBytes) {
      this.metrics.rejectedSends.inc({ topic, reason: 'backpressure' });
      throw new VigilError('too_many_requests', `bus topic ${topic} has ${lag} unconsumed bytes, over the bound of ${this.options.maxLagBytes}`, {
        retryAfterMs: this.options.retryAfterMs,
      });
    }
    let written: { partitions: PartitionLog[]; bytes: number };
    try {
      written = log.append(records, keys, Date.now());
    } catch (err) {
      this.metrics.rejectedSends.inc({ topic, reason: 'write_failed' });
      throw new VigilError('unavailable', `bus write to ${topic} failed: ${(err as Error).message}`, { cause: err });
    }
    for (const partition of written.partitions) this.dirty.add(partition);
    this.metrics.appendedRecords.inc({ topic }, records.length);
    this.metrics.appendedBytes.inc({ topic }, written.bytes);
    this.metrics.sendRecords.observe({ topic }, records.length);
    await this.scheduler.request();
  }

  private assertOpen(topic?: string): void {
    if (this.state === 'open' && this.failure === undefined) return;
    if (topic !== undefined) this.metrics.rejectedSends.inc({ topic, reason: 'closed' });
    if (this.failure !== undefined) throw new VigilError('unavailable', 'embedded bus stopped accepting writes after a failed fsync', { cause: this.failure });
    throw new VigilError('unavailable', `embedded bus is ${this.state === 'new' ? 'not started' : 'shut down'}`);
  }

  /** One group commit: fdatasync every partition written since the last round, then publish. */
  private async flush(): Promise<void> {
    const round = [...this.dirty].map((log) => ({ log, end: log.writtenEnd, fd: log.activeFileDescriptor }));
    this.dirty = new Set();
    if (round.length === 0) return;
    const stopTimer = this.metrics.fsyncSeconds.startTimer();
    try {
      await Promise.all(round.map((r) => fdatasyncAsync(r.fd)));
    } catch (err) {
      this.failure ??= err;
      this.options.logger.error({ err }, 'bus fsync failed; refusing further writes');
      throw new VigilError('unavailable', `bus fsync failed: ${(err as Error).message}`, { cause: err });
    } finally {
      stopTimer();
      this.metrics.fsyncs.inc(round.length);
    }
    for (const r of round) r.log.markDurable(r.end);
  }

  private topic(name: string): TopicLog {
    return this.topics.get(name) ?? this.openTopic(name);
  }

  private openTopic(name: string): TopicLog {
    const partitions = this.options.topicPartitions[name] ?? this.options.partitions;
    const log = TopicLog.open(this.options.dir, name, partitions, {
      segmentBytes: this.options.segmentBytes,
      indexIntervalBytes: this.options.indexIntervalBytes,
      maxBodyBytes: this.options.maxRecordBytes + 64 * 1024,
      logger: this.options.logger,
    });
    this.topics.set(name, log);
    return log;
  }

  private groupOffsets(group: string): GroupOffsets {
    let offsets = this.groups.get(group);
    if (offsets === undefined) {
      offsets = GroupOffsets.empty(group, join(groupsDir(this.options.dir), `${group}.json`), this.options.clock);
      this.groups.set(group, offsets);
    }
    return offsets;
  }

  /** expireIdleGroups, never two at once (the timer may fire while one is deleting files). */
  private expireIdleGroupsOnce(): Promise<void> {
    this.expiring ??= this.expireIdleGroups()
      .catch((err: unknown) => this.options.logger.error({ err }, 'expiring idle consumer groups failed; retrying at the next check'))
      .finally(() => (this.expiring = undefined));
    return this.expiring;
  }

  /**
   * Forgets groups that have no running consumer and have not committed for groupRetentionMs
   * (Kafka's offsets retention): an abandoned group would otherwise hold every segment after its
   * offset for ever and, once the lag bound is reached, reject every send. Segments that only it
   * held are deleted.
   */
  private async expireIdleGroups(): Promise<void> {
    const now = this.options.clock();
    const claimed = new Set([...this.claims].map((key) => key.slice(0, key.indexOf('\u0000'))));
    const expired = [...this.groups.values()].filter((g) => !claimed.has(g.group) && now - g.lastCommitMs > this.options.groupRetentionMs);
    for (const g of expired) {
      if (this.state !== 'open') return;
      this.groups.delete(g.group);
      await g.remove();
      this.metrics.expiredGroups.inc();
      this.options.logger.warn(
        { group: g.group, idleMs: Math.round(now - g.lastCommitMs), groupRetentionMs: this.options.groupRetentionMs },
        'forgot a consumer group without a consumer or a commit for longer than bus.groupRetentionMs; if it comes back it starts at the oldest record',
      );
    }
    if (expired.length === 0) return;
    for (const topic of this.topics.values()) for (const log of topic.partitions) this.afterCommit(topic.topic, log.partition);
  }

  /** Deletes the partition's segments every group that consumes it has committed past. */
  private afterCommit(topic: string, partition: number): void {
    const log = this.topics.get(topic)?.partitions[partition];
    if (log === undefined || this.state === 'closed') return;
    const slowest = slowestCommitted(this.groups.values(), topicPartition(topic, partition));
    if (slowest === undefined) return;
    const deleted = log.deleteBelow(slowest);
    if (deleted > 0) this.metrics.deletedSegments.inc({ topic }, deleted);
  }

  private consumerHost(): ConsumerHost {
    return {
      metrics: this.metrics,
      logger: this.options.logger,
      maxBatchBytes: this.options.maxBatchBytes,
      backoffMs: this.options.redeliveryBackoffMs,
      topic: (name) => this.topic(name),
      groupOffsets: (group) => this.groupOffsets(group),
      claim: (group, topic) => {
        const key = `${group}\u0000${topic}`;
        if (this.claims.has(key)) throw new VigilError('conflict', `group ${group} already has a running consumer on ${topic}`);
        this.claims.add(key);
      },
      release: (group, topic) => void this.claims.delete(`${group}\u0000${topic}`),
      afterCommit: (topic, partition) => this.afterCommit(topic, partition),
    };
  }

  async stats(): Promise<TopicStats[]> {
    const out: TopicStats[] = [];
    for (const topic of this.topics.values()) {
      for (const log of topic.partitions) {
        const tp = topicPartition(topic.topic, log.partition);
        const committed = new Map<string, bigint>();
        for (const g of this.groups.values()) {
          const c = g.get(tp);
          if (c !== undefined) committed.set(g.group, c);
        }
        out.push({ topic: topic.topic, partition: log.partition, endOffset: log.writtenEnd, committed, bytesOnDisk: log.bytesOnDisk });
      }
    }
    return out;
  }

  /**
   * Stops consumers (each after its batch in flight), completes pending group commits, waits
   * for offset writes and closes the files. Idempotent; sends made after it began are rejected.
   */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      const wasOpen = this.state === 'open';
      this.state = 'closing';
      clearInterval(this.expiryTimer);
      await this.expiring;
      await Promise.all([...this.consumers].map((c) => c.stop()));
      await this.scheduler.drain();
      await Promise.all([...this.groups.values()].map((g) => g.flush()));
      for (const t of this.topics.values()) t.close();
      this.state = 'closed';
      if (wasOpen) this.options.logger.info({ dir: this.options.dir }, 'embedded bus closed');
    })();
    return this.closing;
  }
}

function isValidName(name: string, assert: (name: string) => void): boolean {
  try {
    assert(name);
    return true;
  } catch {
    return false;
  }
}

function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}
