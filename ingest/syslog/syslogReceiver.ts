import type { Registry } from 'prom-client';
import type { Logger, LogRecord } from '../../core/index.js';
import { isVigilError } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { PushQueue } from '../listeners/pushQueue.js';
import { createReceiverMetrics } from '../listeners/receiverMetrics.js';
import { SocketListener } from '../listeners/socketListener.js';
import { parseSyslog } from './syslogParse.js';
import { StreamCache, syslogToLogRecord } from './syslogToLogRecord.js';

export interface SyslogReceiverOptions {
  readonly pipeline: PushPipeline;
  /** Every message is written under this tenant (syslog carries no credentials). */
  readonly tenant: string;
  readonly host: string;
  /** TCP and UDP; 0 picks a free port (tests). */
  readonly port: number;
  /** PEM certificate and key: TCP speaks syslog over TLS (RFC 5425); UDP stays off then. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly maxMessageBytes: number;
  readonly maxConnections: number;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Receive clock in milliseconds (tests). */
  readonly now?: () => number;
}

const RECEIVER = 'syslog';

/**
 * Syslog over TCP (RFC 6587: octet counting and newline framing; RFC 5425 TLS) and UDP (RFC
 * 5426) on one port: RFC 5424 and RFC 3164 messages become log records (syslogToLogRecord)
 * pushed through the pipeline in batches. A message that does not parse is counted and skipped.
 */
export class SyslogReceiver {
  private readonly queue: PushQueue<LogRecord>;
  private readonly listener: SocketListener;

  constructor(options: SyslogReceiverOptions) {
    const { pipeline, tenant, logger } = options;
    const now = options.now ?? Date.now;
    const metrics = createReceiverMetrics(options.registry);
    const streams = new StreamCache();
    const maxBatch = 5_000;
    this.queue = new PushQueue<LogRecord>({
      push: async (logs) => {
        await pipeline.push({ tenant, series: [], metadata: [], logs, events: [] });
      },
      logger,
      maxBatch,
      flushMs: 20,
      highWater: 4 * maxBatch,
      // UDP keeps arriving while the bus pushes back; beyond this it is dropped and counted.
      hardLimit: 20 * maxBatch,
      onDrain: () => this.listener.resume(),
    });
    let lastWarnMs = 0;
    this.listener = new SocketListener({
      receiver: RECEIVER,
      host: options.host,
      port: options.port,
      udp: options.tls === undefined,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      maxFrameBytes: options.maxMessageBytes,
      octetCounting: true,
      maxConnections: options.maxConnections,
      saturated: () => this.queue.saturated,
      metrics,
      logger,
      handle: (frame, peer) => {
        const receivedAtMs = now();
        let record: LogRecord;
        try {
          const message = parseSyslog(frame.toString('utf8'), receivedAtMs);
          record = syslogToLogRecord(message, BigInt(receivedAtMs) * 1_000_000n, peer, streams);
        } catch (err) {
          if (!isVigilError(err)) throw err;
          // Rate-limited: a sender of garbage must not flood the log either.
          if (receivedAtMs - lastWarnMs > 10_000) {
            lastWarnMs = receivedAtMs;
            logger.warn({ peer, err: err.message }, 'syslog message skipped (see vigil_receiver_frames_total{outcome="invalid"})');
          }
          return 'invalid';
        }
        return this.queue.add(record) ? 'accepted' : 'dropped';
      },
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  get port(): number {
    return this.listener.port;
  }

  /** Resolves once every message read so far is durable (or refused). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Stops listening, then pushes what was already read. Idempotent. */
  async shutdown(): Promise<void> {
    await this.listener.stop();
    await this.queue.shutdown();
  }
}
