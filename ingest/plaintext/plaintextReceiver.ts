import type { Registry } from 'prom-client';
import type { Logger, TimeSeries } from '../../core/index.js';
import { isVigilError } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { PushQueue } from '../listeners/pushQueue.js';
import { createReceiverMetrics } from '../listeners/receiverMetrics.js';
import { SocketListener } from '../listeners/socketListener.js';
import type { PlaintextFormat } from './plaintextFormat.js';
import { plaintextParsers } from './plaintextFormat.js';

export interface PlaintextReceiverOptions {
  readonly format: PlaintextFormat;
  readonly pipeline: PushPipeline;
  /** Every sample is written under this tenant (the protocols carry no credentials). */
  readonly tenant: string;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly maxLineBytes: number;
  readonly maxConnections: number;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Graphite plaintext or Wavefront lines over TCP (newline-separated, as carbon and the Wavefront
 * proxy take them), pushed through the pipeline in batches; a line that does not parse is counted
 * and skipped. Lines starting with '#' are comments.
 */
export class PlaintextReceiver {
  private readonly queue: PushQueue<TimeSeries>;
  private readonly listener: SocketListener;

  constructor(options: PlaintextReceiverOptions) {
    const { pipeline, tenant, logger, format } = options;
    const now = options.now ?? Date.now;
    const parse = plaintextParsers[format];
    const maxBatch = 5_000;
    this.queue = new PushQueue<TimeSeries>({
      push: async (series) => {
        await pipeline.push({ tenant, series, metadata: [], logs: [], events: [] });
      },
      logger,
      maxBatch,
      flushMs: 20,
      highWater: 4 * maxBatch,
      hardLimit: 20 * maxBatch,
      onDrain: () => this.listener.resume(),
    });
    let lastWarnMs = 0;
    this.listener = new SocketListener({
      receiver: format,
      host: options.host,
      port: options.port,
      udp: false,
      maxFrameBytes: options.maxLineBytes,
      octetCounting: false,
      maxConnections: options.maxConnections,
      saturated: () => this.queue.saturated,
      metrics: createReceiverMetrics(options.registry),
      logger,
      handle: (frame, peer) => {
        if (frame[0] === 0x23 /* # */) return 'accepted';
        const nowMs = now();
        let series: TimeSeries;
        try {
          series = parse(frame.toString('utf8'), nowMs);
        } catch (err) {
          if (!isVigilError(err)) throw err;
          if (nowMs - lastWarnMs > 10_000) {
            lastWarnMs = nowMs;
            logger.warn({ peer, err: err.message }, `${format} line skipped (see vigil_receiver_frames_total{outcome="invalid"})`);
          }
          return 'invalid';
        }
        return this.queue.add(series) ? 'accepted' : 'dropped';
      },
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  get port(): number {
    return this.listener.port;
  }

  flush(): Promise<void> {
    return this.queue.flush();
  }

  async shutdown(): Promise<void> {
    await this.listener.stop();
    await this.queue.shutdown();
  }
}
