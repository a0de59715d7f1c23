import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { VigilError } from '../../../core/index.js';

export interface EmbeddedBusOptions {
  /** Directory holding the bus (the composition root passes `<dataDir>/bus`). Created if missing. */
  readonly dir: string;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Bytes per segment file before the next append rolls to a new one (default 64 MiB). */
  readonly segmentBytes?: number;
  /** Unconsumed bytes per topic above which sends are rejected with too_many_requests (default 512 MiB). */
  readonly maxLagBytes?: number;
  /** How long a group commit waits to gather more sends before one fsync (default 2 ms). */
  readonly groupCommitMs?: number;
  /** Partitions of a topic created by this bus, unless listed in `topicPartitions` (default 1). */
  readonly partitions?: number;
  readonly topicPartitions?: Readonly<Record<string, number>>;
  /** Bytes between sparse index entries (default 4 KiB). */
  readonly indexIntervalBytes?: number;
  /** Largest accepted record value (default 64 MiB); larger ones are rejected as payload_too_large. */
  readonly maxRecordBytes?: number;
  /** Bytes per delivered batch, beyond which a batch is cut short of maxBatchRecords (default 32 MiB, at least one record). */
  readonly maxBatchBytes?: number;
  /**
   * A group with no running consumer that has not committed for this long is forgotten, so that
   * an abandoned group stops holding segments and causing backpressure (default 7 days, as
   * Kafka's offsets.retention.minutes). A consumer that comes back later starts at the oldest record.
   */
  readonly groupRetentionMs?: number;
  /** Milliseconds now, for group expiry (tests pass a controllable clock; default Date.now). */
  readonly clock?: () => number;
  /** Retry hint given with a backpressure rejection (default 1000 ms). */
  readonly retryAfterMs?: number;
  /** First and longest pause before redelivering a batch whose handler rejected (defaults 100 ms, 5 s). */
  readonly redeliveryBackoffMs?: { readonly initial: number; readonly max: number };
}

export type ResolvedBusOptions = Required<Omit<EmbeddedBusOptions, 'registry' | 'logger' | 'topicPartitions' | 'clock'>> &
  Pick<EmbeddedBusOptions, 'registry' | 'logger'> & { readonly topicPartitions: Readonly<Record<string, number>>; readonly clock: () => number };

const MiB = 1024 * 1024;
const schema = z
  .object({
    dir: z.string().min(1),
    segmentBytes: z.number().int().min(1024).max(1024 * MiB).default(64 * MiB),
    maxLagBytes: z.number().int().positive().default(512 * MiB),
    groupCommitMs: z.number().int().min(0).max(1000).default(2),
    partitions: z.number().int().min(1).max(1024).default(1),
    topicPartitions: z.record(z.string(), z.number().int().min(1).max(1024)).default({}),
    indexIntervalBytes: z.number().int().min(64).max(16 * MiB).default(4096),
    maxRecordBytes: z.number().int().positive().max(512 * MiB).default(64 * MiB),
    maxBatchBytes: z.number().int().positive().default(32 * MiB),
    retryAfterMs: z.number().int().positive().default(1000),
    groupRetentionMs: z.number().int().positive().default(7 * 24 * 3600_000),
    redeliveryBackoffMs: z
      .object({ initial: z.number().int().min(0), max: z.number().int().min(0) })
      .strict()
      .default({ initial: 100, max: 5000 }),
  })
  .strict();

/** Fills defaults and rejects impossible settings with the name of the option. */
export function resolveBusOptions(options: EmbeddedBusOptions): ResolvedBusOptions {
  const { registry, logger, clock, ...rest } = options;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VigilError('bad_data', `embedded bus option ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return { ...parsed.data, registry, logger, clock: clock ?? Date.now };
}
