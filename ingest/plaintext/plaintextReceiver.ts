import type { Registry } from 'prom-client';
import type { Logger, TimeSeries } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { QueuedSocketReceiver } from '../listeners/queuedSocketReceiver.js';
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
export class PlaintextReceiver extends QueuedSocketReceiver<TimeSeries> {
  constructor(options: PlaintextReceiverOptions) {
    const { pipeline, tenant, format } = options;
    const parse = plaintextParsers[format];
    super({
      receiver: format,
      frameName: `${format} line`,
      host: options.host,
      port: options.port,
      udp: false,
      maxFrameBytes: options.maxLineBytes,
      octetCounting: false,
      maxConnections: options.maxConnections,
      parse: (frame, _peer, nowMs) => (frame[0] === 0x23 /* # */ ? undefined : parse(frame.toString('utf8'), nowMs)),
      push: async (series) => {
        await pipeline.push({ tenant, series, metadata: [], logs: [], events: [] });
      },
      registry: options.registry,
      logger: options.logger,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }
}
