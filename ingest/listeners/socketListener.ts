import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { isIP, createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from '../../core/index.js';
import { FrameDecoder } from './frameDecoder.js';
import type { FrameHandler } from './frameDecoder.js';
import type { FrameOutcome, ReceiverMetrics } from './receiverMetrics.js';

export interface SocketListenerOptions {
  /** The `receiver` label of the metrics and the component in logs: "syslog", "graphite", ... */
  readonly receiver: string;
  readonly host: string;
  /** 0 picks a free port (tests); UDP, when on, then binds the same number. */
  readonly port: number;
  /** Also listen on UDP, one frame per datagram. */
  readonly udp: boolean;
  /** PEM certificate and key: the TCP listener speaks TLS (RFC 5425 for syslog). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly maxFrameBytes: number;
  /** Accept RFC 6587 octet-counted frames besides newline-terminated ones. */
  readonly octetCounting: boolean;
  readonly maxConnections: number;
  /** Parses one frame and queues what it holds; says what became of it. Must not throw. */
  readonly handle: (frame: Buffer, peer: string) => FrameOutcome;
  /** True while the queue behind `handle` wants TCP senders to wait. */
  readonly saturated: () => boolean;
  readonly metrics: ReceiverMetrics;
  readonly logger: Logger;
}

/**
 * A TCP (optionally TLS) and UDP listener on one port number that turns bytes into frames and
 * hands them to `handle`. Backpressure: while `saturated()`, TCP sockets stop reading (the
 * kernel's window then slows the sender); `resume()` restarts them. UDP cannot wait: `handle`
 * decides what to drop. Connections beyond maxConnections are closed on arrival and counted.
 */
export class SocketListener {
  private server: Server | undefined;
  private udp: UdpSocket | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly paused = new Set<Socket>();
  private boundPort = 0;

  constructor(private readonly options: SocketListenerOptions) {}

  /** Listens; rejects naming the address when a port is taken. */
  async start(): Promise<void> {
    const o = this.options;
    const onConnection = (socket: Socket): void => this.accept(socket);
    const server = o.tls === undefined ? createTcpServer(onConnection) : createTlsServer({ cert: o.tls.cert, key: o.tls.key }, onConnection);
    // A TLS handshake that fails is the client's problem, not an error of the listener.
    server.on('tlsClientError', (err: Error) => o.logger.debug({ err: err.message }, 'TLS handshake failed'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`${o.receiver}: cannot listen on TCP ${o.host}:${o.port}: ${err.message}`, { cause: err })));
      server.listen(o.port, o.host, () => resolve());
    });
    server.on('error', (err) => o.logger.error({ err }, `${o.receiver} TCP listener error`));
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    if (o.udp) {
      const udp = createSocket({ type: isIP(o.host) === 6 ? 'udp6' : 'udp4' });
      try {
        await new Promise<void>((resolve, reject) => {
          udp.once('error', (err) => reject(new Error(`${o.receiver}: cannot listen on UDP ${o.host}:${this.boundPort}: ${err.message}`, { cause: err })));
          udp.bind(this.boundPort, o.host, () => resolve());
        });
      } catch (err) {
        await this.stop();
        throw err;
      }
      udp.on('error', (err) => o.logger.error({ err }, `${o.receiver} UDP listener error`));
      udp.on('message', (msg, rinfo) => this.datagram(msg, rinfo.address));
      this.udp = udp;
    }
  }

  /** The port both listeners are bound to. */
  get port(): number {
    return this.boundPort;
  }

  /** Restarts the TCP sockets paused for backpressure (call when the queue drained). */
  resume(): void {
    if (this.options.saturated()) return;
    for (const s of this.paused) s.resume();
    this.paused.clear();
  }

  /** Stops accepting, reads no more, and closes every connection. Idempotent. */
  async stop(): Promise<void> {
    const server = this.server;
    const udp = this.udp;
    this.server = undefined;
    this.udp = undefined;
    for (const s of this.sockets) s.destroy();
    if (udp !== undefined) await new Promise<void>((r) => udp.close(() => r()));
    if (server !== undefined) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(socket: Socket): void {
    const o = this.options;
    if (this.sockets.size >= o.maxConnections) {
      o.metrics.connectionRefused(o.receiver);
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    o.metrics.connectionOpened(o.receiver);
    const peer = socket.remoteAddress ?? '';
    const decoder = new FrameDecoder(o.maxFrameBytes, o.octetCounting);
    const out = this.frameHandler(peer);
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk, out);
      if (o.saturated()) {
        socket.pause();
        this.paused.add(socket);
      }
    });
    socket.on('end', () => {
      decoder.end(out);
      socket.end();
    });
    socket.on('error', (err) => o.logger.debug({ err: err.message, peer }, `${o.receiver} connection error`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.paused.delete(socket);
      o.metrics.connectionClosed(o.receiver);
    });
  }

  private frameHandler(peer: string): FrameHandler {
    const o = this.options;
    return {
      frame: (frame) => o.metrics.frames(o.receiver, o.handle(frame, peer)),
      bad: (reason, detail) => {
        o.metrics.frames(o.receiver, reason === 'too_large' ? 'too_large' : 'invalid');
        o.logger.debug({ peer, reason: detail }, `${o.receiver}: frame skipped`);
      },
    };
  }

  private datagram(msg: Buffer, peer: string): void {
    const o = this.options;
    let end = msg.length;
    while (end > 0 && (msg[end - 1] === 0x0a || msg[end - 1] === 0x0d || msg[end - 1] === 0)) end--;
    if (end === 0) return;
    if (end > o.maxFrameBytes) {
      o.metrics.frames(o.receiver, 'too_large');
      return;
    }
    o.metrics.frames(o.receiver, o.handle(msg.subarray(0, end), peer));
  }
}
