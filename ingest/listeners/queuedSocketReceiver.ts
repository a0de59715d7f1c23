import type { Registry } from 'prom-client';
import type { Logger } from '../../core/index.js';
import { isVigilError } from '../../core/index.js';
import { PushQueue } from './pushQueue.js';
import { createReceiverMetrics } from './receiverMetrics.js';
import { SocketListener } from './socketListener.js';
import type { SocketListenerOptions } from './socketListener.js';

/** The listener's own options (receiver, host, port, udp, tls, frame and connection limits), then what it feeds. */
export interface QueuedSocketReceiverOptions<T>
  extends Pick<SocketListenerOptions, 'receiver' | 'host' | 'port' | 'udp' | 'tls' | 'maxFrameBytes' | 'octetCounting' | 'maxConnections'> {
  /** What one frame is called in the warning about a skipped one: "syslog message", "graphite line". */
  readonly frameName: string;
  /**
   * Parses one frame received at `nowMs`: the item to queue, or undefined for a frame that holds
   * nothing but is fine (a comment line). Throws a VigilError for a frame that does not parse.
   */
  readonly parse: (frame: Buffer, peer: string, nowMs: number) => T | undefined;
  /** Publishes one batch; resolves once it is durable (PushPipeline.push underneath). */
  readonly push: (batch: T[]) => Promise<void>;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Receive clock in milliseconds (tests). */
  readonly now?: () => number;
}

const MAX_BATCH = 5_000;
const WARN_INTERVAL_MS = 10_000;

/**
 * The plumbing every socket receiver shares (syslog, Graphite, Wavefront): a SocketListener whose
 * frames are parsed into items and batched through a PushQueue, with backpressure from the queue
 * to the TCP sockets. A frame that does not parse is counted and skipped, with a rate-limited warning.
 */
export class QueuedSocketReceiver<T> {
  private readonly queue: PushQueue<T>;
  private readonly listener: SocketListener;

  constructor(options: QueuedSocketReceiverOptions<T>) {
    const { logger, parse } = options;
    const now = options.now ?? Date.now;
    this.queue = new PushQueue<T>({
      push: options.push,
      logger,
      maxBatch: MAX_BATCH,
      flushMs: 20,
      highWater: 4 * MAX_BATCH,
      // UDP keeps arriving while the bus pushes back; beyond this it is dropped and counted.
      hardLimit: 20 * MAX_BATCH,
      onDrain: () => this.listener.resume(),
    });
    let lastWarnMs = 0;
    this.listener = new SocketListener({
      receiver: options.receiver,
      host: options.host,
      port: options.port,
      udp: options.udp,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      maxFrameBytes: options.maxFrameBytes,
      octetCounting: options.octetCounting,
      maxConnections: options.maxConnections,
      saturated: () => this.queue.saturated,
      metrics: createReceiverMetrics(options.registry),
      logger,
      handle: (frame, peer) => {
        const nowMs = now();
        let item: T | undefined;
        try {
          item = parse(frame, peer, nowMs);
        } catch (err) {
          if (!isVigilError(err)) throw err;
          // Rate-limited: a sender of garbage must not flood the log either.
          if (nowMs - lastWarnMs > WARN_INTERVAL_MS) {
            lastWarnMs = nowMs;
            logger.warn({ peer, err: err.message }, `${options.frameName} skipped (see vigil_receiver_frames_total{outcome="invalid"})`);
          }
          return 'invalid';
        }
        if (item === undefined) return 'accepted';
        return this.queue.add(item) ? 'accepted' : 'dropped';
      },
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  get port(): number {
    return this.listener.port;
  }

  /** Resolves once every frame read so far is durable (or refused). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Stops listening, then pushes what was already read. Idempotent. */
  async shutdown(): Promise<void> {
    await this.listener.stop();
    await this.queue.shutdown();
  }
}
