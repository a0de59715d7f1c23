import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Logger } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { PreparedWrite } from '../pipeline/prepareWrite.js';
import type { DecodeReplyMessage, DecodeRequestMessage } from './decodeWorkerProtocol.js';
import { fromWireError, ownsBuffer } from './decodeWorkerProtocol.js';
import type { OtlpDecoder } from './otlpDecode.js';
import type { RemoteWriteDecoder } from '../remotewrite/remoteWriteTask.js';
import type { DecodeTask } from './decodeWorkerProtocol.js';

export interface DecodePoolOptions {
  /** Worker threads; at least 1. */
  readonly workers: number;
  /** Requests queued or being decoded across the pool; one more is refused with 429. Default 8 per worker. */
  readonly maxPending?: number;
  /** Retry-After given with that 429. Default 100 ms. */
  readonly retryAfterMs?: number;
  readonly registry: Registry;
  readonly logger: Logger;
}

interface Pending {
  readonly resolve: (prepared: PreparedWrite) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  /** Undefined while a dead worker waits to be replaced. */
  worker: Worker | undefined;
  readonly inFlight: Map<number, Pending>;
  /** Workers of this slot that died since one last answered: more than one means a crash loop. */
  deaths: number;
}

/**
 * Starts the worker file next to this module: the .js that esbuild emits in the build, or, when
 * this module is the .ts source (vitest, tsx), the .ts source with tsx's loader. Node 20 does not
 * apply `--import tsx` from a worker's execArgv to the worker's own modules, so a small ESM
 * bootstrap registers tsx in the worker first and then imports the worker file.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./decodeWorker.js', import.meta.url));
  // require.resolve finds tsx's CommonJS build of the API; the ESM build it ships beside it is the one that registers ESM hooks.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./decodeWorker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * OTLP and remote-write decoding on worker threads, so that the main thread only does HTTP and the bus append:
 * each request body is transferred (not copied) to the least busy worker, which decompresses,
 * parses, maps, validates and encodes it, and transfers the bus records back.
 *
 * Contract: decode() rejects with 429 'too_many_requests' (with retryAfterMs) when maxPending
 * requests are already waiting, with 503 'unavailable' when the pool is not running or the worker
 * holding the request died (the worker is replaced at once), and otherwise settles exactly as
 * in-process decoding would. start() once; shutdown() is idempotent and fails what is pending.
 */
export class DecodePool implements OtlpDecoder, RemoteWriteDecoder {
  private readonly slots: Slot[] = [];
  private readonly maxPending: number;
  private readonly retryAfterMs: number;
  private readonly pendingGauge: Gauge;
  private readonly restarts: Counter;
  private nextId = 0;
  private pending = 0;
  private running = false;
  private closed = false;

  constructor(private readonly options: DecodePoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`DecodePool needs at least one worker, got ${options.workers}`);
    this.maxPending = options.maxPending ?? 8 * options.workers;
    this.retryAfterMs = options.retryAfterMs ?? 100;
    const { registry } = options;
    this.pendingGauge =
      (registry.getSingleMetric('vigil_ingest_decode_pending') as Gauge | undefined) ??
      new Gauge({ name: 'vigil_ingest_decode_pending', help: 'OTLP requests queued for or being decoded by the decode workers.', registers: [registry] });
    this.restarts =
      (registry.getSingleMetric('vigil_ingest_decode_worker_restarts_total') as Counter | undefined) ??
      new Counter({ name: 'vigil_ingest_decode_worker_restarts_total', help: 'OTLP decode workers that died and were replaced.', registers: [registry] });
  }

  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    for (let i = 0; i < this.options.workers; i++) {
      const worker = this.spawn();
      const slot: Slot = { worker, inFlight: new Map(), deaths: 0 };
      this.slots.push(slot);
      this.watch(slot, worker);
    }
  }

  decode(task: DecodeTask): Promise<PreparedWrite> {
    if (!this.running) return Promise.reject(new VigilError('unavailable', 'OTLP decoding is not running (starting or shutting down)'));
    if (this.pending >= this.maxPending) {
      return Promise.reject(new VigilError('too_many_requests', `OTLP decoding is busy: ${this.pending} requests waiting`, { retryAfterMs: this.retryAfterMs }));
    }
    let slot: Slot | undefined;
    for (const s of this.slots) if (s.worker !== undefined && (slot === undefined || s.inFlight.size < slot.inFlight.size)) slot = s;
    if (slot?.worker === undefined) return Promise.reject(new VigilError('unavailable', 'no OTLP decode worker is running; retry the request'));
    const { worker, inFlight } = slot;
    // Transferring detaches the whole ArrayBuffer: copy a body that shares it with other Buffers.
    const body = ownsBuffer(task.body) ? task.body : new Uint8Array(task.body);
    const id = this.nextId++;
    return new Promise<PreparedWrite>((resolve, reject) => {
      inFlight.set(id, { resolve, reject });
      this.setPending(+1);
      const message: DecodeRequestMessage = { id, task: { ...task, body } };
      try {
        worker.postMessage(message, [body.buffer as ArrayBuffer]);
      } catch (err) {
        inFlight.delete(id);
        this.setPending(-1);
        reject(new VigilError('internal', `cannot hand the request to a decode worker: ${(err as Error).message}`, { cause: err }));
      }
    });
  }

  /** Requests queued for or being decoded by the workers. */
  get pendingRequests(): number {
    return this.pending;
  }

  /**
   * Terminates every worker; each is replaced exactly as after a crash, and the requests it held
   * fail with 503. Returns a worker's memory to the system; tests use it to kill a worker mid-request.
   */
  async recycle(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running = false;
    const workers = this.slots.map((s) => s.worker);
    for (const slot of this.slots) this.failAll(slot, 'OTLP decoding is shutting down');
    await Promise.all(workers.map((w) => w?.terminate()));
  }

  private spawn(): Worker {
    const worker = startWorker();
    // Idle workers must not keep the process alive; the HTTP server does while requests come in.
    worker.unref();
    return worker;
  }

  private watch(slot: Slot, worker: Worker): void {
    worker.on('message', (reply: DecodeReplyMessage) => {
      const pending = slot.inFlight.get(reply.id);
      if (pending === undefined) return;
      slot.inFlight.delete(reply.id);
      slot.deaths = 0;
      this.setPending(-1);
      if ('prepared' in reply) pending.resolve(reply.prepared);
      else pending.reject(fromWireError(reply.error));
    });
    // A reply that cannot be deserialized names no request: end the worker so that its requests fail instead of hanging.
    worker.on('messageerror', (err) => {
      this.options.logger.error({ err }, 'OTLP decode worker sent an unreadable reply');
      void worker.terminate();
    });
    worker.on('error', (err) => {
      this.options.logger.error({ err }, 'OTLP decode worker failed');
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker || this.closed) return;
      this.failAll(slot, `OTLP decode worker stopped (exit code ${code}); retry the request`);
      this.restarts.inc();
      slot.worker = undefined;
      const replace = (): void => {
        if (this.closed) return;
        slot.worker = this.spawn();
        this.watch(slot, slot.worker);
      };
      // A worker that dies again before answering anything (a broken install, a poison request
      // retried by the client) is replaced after a pause, not in a tight loop.
      slot.deaths += 1;
      if (slot.deaths === 1) replace();
      else setTimeout(replace, 1000).unref();
    });
  }

  private failAll(slot: Slot, message: string): void {
    for (const pending of slot.inFlight.values()) {
      this.setPending(-1);
      pending.reject(new VigilError('unavailable', message));
    }
    slot.inFlight.clear();
  }

  private setPending(delta: number): void {
    this.pending += delta;
    this.pendingGauge.set(this.pending);
  }
}
