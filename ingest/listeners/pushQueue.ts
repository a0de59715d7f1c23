import type { Logger } from '../../core/index.js';
import { isVigilError } from '../../core/index.js';

export interface PushQueueOptions<T> {
  /** Publishes one batch; resolves once it is durable (PushPipeline.push underneath). */
  readonly push: (batch: T[]) => Promise<void>;
  readonly logger: Logger;
  /** Most items per push. */
  readonly maxBatch: number;
  /** How long the first item of an idle queue waits for company before it is pushed. */
  readonly flushMs: number;
  /** Pending items at which `saturated` turns true: stream senders should pause reading. */
  readonly highWater: number;
  /** Pending items beyond which `add` refuses (only senders that cannot be paused reach it: UDP). */
  readonly hardLimit: number;
  /** Called when `saturated` turns false again. */
  readonly onDrain?: () => void;
}

const MAX_BACKOFF_MS = 5_000;
/** How long shutdown keeps retrying what is still pending before it gives up and says so. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Batches items from socket receivers (syslog, Graphite, Wavefront lines) into pushes through the
 * pipeline, one push at a time. There is no acknowledgement on these protocols, so an item counts
 * as accepted once read: the queue retries a batch the bus pushed back on (429/503, after its
 * Retry-After) or failed on, and tells senders to stop reading (`saturated`) instead of dropping.
 * A batch the pipeline refuses as invalid is not retried: it counted the rejections.
 */
export class PushQueue<T> {
  private pending: T[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: PushQueueOptions<T>) {}

  /** Queues one item; false (and nothing queued) when the queue is at its hard limit. Never throws. */
  add(item: T): boolean {
    if (this.pending.length >= this.options.hardLimit) return false;
    this.pending.push(item);
    if (this.running) return true;
    if (this.pending.length >= this.options.maxBatch) this.startPump();
    else this.timer ??= setTimeout(() => this.startPump(), this.options.flushMs).unref();
    return true;
  }

  get size(): number {
    return this.pending.length;
  }

  /** True while senders that can wait (TCP) should stop reading. */
  get saturated(): boolean {
    return this.pending.length >= this.options.highWater;
  }

  /** Resolves once everything queued so far is pushed, refused or given up on. */
  flush(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    if (!this.running) this.startPump();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Pushes what is pending (retrying for a bounded time), then resolves. Idempotent. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.flush();
  }

  private startPump(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) return;
    this.running = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    const { options } = this;
    let backoffMs = 50;
    let giveUpAt = Infinity;
    while (this.pending.length > 0) {
      const wasSaturated = this.saturated;
      const batch = this.pending.length <= options.maxBatch ? this.pending : this.pending.slice(0, options.maxBatch);
      this.pending = batch === this.pending ? [] : this.pending.slice(options.maxBatch);
      const retry = await this.attempt(batch);
      if (retry !== undefined) {
        // Put the batch back in front and wait: its items were accepted from a sender that got no error.
        this.pending = batch.concat(this.pending);
        if (this.stopping) giveUpAt = Math.min(giveUpAt, Date.now() + SHUTDOWN_GRACE_MS);
        if (Date.now() >= giveUpAt) {
          options.logger.error({ lost: this.pending.length }, 'giving up on pending lines at shutdown: the bus did not take them');
          this.pending = [];
          break;
        }
        const waitMs = retry > 0 ? retry : backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        await new Promise((r) => setTimeout(r, Math.min(waitMs, MAX_BACKOFF_MS)));
        continue;
      }
      backoffMs = 50;
      if (wasSaturated && !this.saturated) options.onDrain?.();
    }
    this.running = false;
    if (options.onDrain !== undefined) options.onDrain();
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** One push: undefined when done (stored or refused as invalid), else how long to wait before retrying (0: back off). */
  private async attempt(batch: T[]): Promise<number | undefined> {
    try {
      await this.options.push(batch);
      return undefined;
    } catch (err) {
      if (isVigilError(err)) {
        if (err.code === 'too_many_requests' || err.code === 'unavailable') return err.retryAfterMs ?? 0;
        if (err.code === 'bad_data' || err.code === 'limit_exceeded') return undefined;
      }
      this.options.logger.warn({ err, items: batch.length }, 'push failed: retrying');
      return 0;
    }
  }
}
