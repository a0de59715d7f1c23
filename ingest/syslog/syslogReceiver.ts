import type { Registry } from 'prom-client';
import type { Logger, LogRecord } from '../../core/index.js';
import type { PushPipeline } from '../pipeline/pushPipeline.js';
import { QueuedSocketReceiver } from '../listeners/queuedSocketReceiver.js';
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
export class SyslogReceiver extends QueuedSocketReceiver<LogRecord> {
  constructor(options: SyslogReceiverOptions) {
    const { pipeline, tenant } = options;
    const streams = new StreamCache();
    super({
      receiver: RECEIVER,
      frameName: 'syslog message',
      host: options.host,
      port: options.port,
      udp: options.tls === undefined,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      maxFrameBytes: options.maxMessageBytes,
      octetCounting: true,
      maxConnections: options.maxConnections,
      parse: (frame, peer, receivedAtMs) => {
        const message = parseSyslog(frame.toString('utf8'), receivedAtMs);
        return syslogToLogRecord(message, BigInt(receivedAtMs) * 1_000_000n, peer, streams);
      },
      push: async (logs) => {
        await pipeline.push({ tenant, series: [], metadata: [], logs, events: [] });
      },
      registry: options.registry,
      logger: options.logger,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }
}
