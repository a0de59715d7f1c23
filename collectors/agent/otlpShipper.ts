import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { BackoffPolicy } from './backoff.js';
import { backoffDelay } from './backoff.js';
import type { PostAnswer } from './httpPost.js';
import { httpPost } from './httpPost.js';
import type { BufferedBatch, DiskBuffer, Signal } from './diskBuffer.js';

const gzip = promisify(gzipCb);

/** Where the agent's batches go: an OTLP/HTTP server through a disk buffer, or (in-process) the ingest pipeline. */
export interface AgentExporter {
  /**
   * Takes one OTLP JSON request body. Resolves once the batch is safe: in the disk buffer, or
   * acknowledged by the pipeline. Resolves false when the batch was dropped (buffer full; counted).
   * Rejects when the batch could not be taken now (the caller may retry it).
   */
  export(signal: Signal, body: Record<string, unknown>, items: number): Promise<boolean>;
}

export interface OtlpShipperOptions {
  /** The server's base URL, e.g. http://vigil:8470; batches go to <url>/v1/metrics and <url>/v1/logs. */
  readonly serverUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  readonly token?: string;
  /** Sent as X-Scope-OrgID when set (a token usually decides the tenant). */
  readonly tenant?: string;
  readonly buffer: DiskBuffer;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Between failed attempts (default 500 ms doubling to 30 s, with jitter). */
  readonly backoff?: BackoffPolicy;
  /** One request's time limit (default 10 s). */
  readonly requestTimeoutMs?: number;
}

export interface OtlpShipper extends AgentExporter {
  /** Starts sending what is buffered, including what an earlier run left. Idempotent. */
  start(): void;
  /** Resolves true once the buffer is empty, false if that took longer than timeoutMs. */
  forceFlush(timeoutMs: number): Promise<boolean>;
  /** Stops sending (the buffer stays on disk for the next run); waits for a request in flight. Idempotent. */
  shutdown(): Promise<void>;
}

type Outcome = { kind: 'sent'; rejectedItems: number; message: string } | { kind: 'rejected'; status: number; message: string } | { kind: 'retry'; reason: string; retryAfterMs: number | undefined };

/**
 * Ships batches over OTLP/HTTP (JSON, gzip) from a disk buffer, oldest first, one at a time (so
 * the server sees each series' samples in order). A batch leaves the buffer when the server
 * answered 2xx, or 4xx other than 401/403/408/429 (it would never be taken: counted as rejected
 * and logged). Anything else — no connection, timeout, 5xx, 401/403 (a token to fix), 408, 429 — is retried with exponential
 * backoff and jitter, honouring Retry-After. While the server is away the buffer fills up to its
 * bound; beyond it new batches are dropped and counted.
 */
export function createOtlpShipper(opts: OtlpShipperOptions): OtlpShipper {
  const { buffer, logger: log } = opts;
  const policy = opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const base = opts.serverUrl.replace(/\/+$/, '');
  const batches = new Counter({ name: 'vigil_agent_batches_total', help: 'Batches by signal and fate: sent, rejected by the server (4xx), dropped (buffer full).', labelNames: ['signal', 'result'] as const, registers: [opts.registry] });
  const items = new Counter({ name: 'vigil_agent_items_total', help: 'Samples and log records by signal and fate (as for vigil_agent_batches_total; partially_rejected: refused inside an accepted batch).', labelNames: ['signal', 'result'] as const, registers: [opts.registry] });
  const failures = new Counter({ name: 'vigil_agent_send_failures_total', help: 'Attempts to send a batch that will be retried, by reason.', labelNames: ['reason'] as const, registers: [opts.registry] });
  new Gauge({ name: 'vigil_agent_buffer_bytes', help: 'Bytes of batches waiting in the disk buffer.', registers: [opts.registry], collect() { this.set(buffer.bytes); } });
  new Gauge({ name: 'vigil_agent_buffer_batches', help: 'Batches waiting in the disk buffer.', registers: [opts.registry], collect() { this.set(buffer.length); } });
  new Gauge({ name: 'vigil_agent_buffer_limit_bytes', help: 'The disk buffer\'s bound.', registers: [opts.registry], collect() { this.set(buffer.maxBytes); } });

  let started = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let loopDone: Promise<void> = Promise.resolve();
  const abort = new AbortController();
  const drained: (() => void)[] = [];

  const nudge = (): void => {
    wake?.();
    wake = undefined;
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const send = async (batch: BufferedBatch): Promise<Outcome> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    if (opts.tenant !== undefined) headers['x-scope-orgid'] = opts.tenant;
    let res: PostAnswer;
    try {
      const body = await buffer.read(batch);
      res = await httpPost(new URL(`${base}/v1/${batch.signal}`), headers, body, timeoutMs, abort.signal);
    } catch (err) {
      return { kind: 'retry', reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'connection', retryAfterMs: undefined };
    }
    const text = res.text;
    const message = (() => {
      try {
        const j = JSON.parse(text) as { message?: unknown; partialSuccess?: { errorMessage?: unknown } };
        return String(j.message ?? j.partialSuccess?.errorMessage ?? '');
      } catch {
        return text.slice(0, 200);
      }
    })();
    if (res.status >= 200 && res.status < 300) {
      let rejectedItems = 0;
      try {
        const ps = (JSON.parse(text) as { partialSuccess?: { rejectedDataPoints?: unknown; rejectedLogRecords?: unknown } }).partialSuccess;
        rejectedItems = Number(ps?.rejectedDataPoints ?? ps?.rejectedLogRecords ?? 0) || 0;
      } catch {
        // An empty or non-JSON 2xx body is a plain success.
      }
      return { kind: 'sent', rejectedItems, message };
    }
    // 401/403 are kept and retried: a wrong or revoked token is fixed by restarting the agent with a good one, and the buffer outlives the restart.
    if (res.status >= 400 && res.status < 500 && ![401, 403, 408, 429].includes(res.status)) return { kind: 'rejected', status: res.status, message };
    const retryAfter = Number(res.retryAfter);
    return { kind: 'retry', reason: `http_${res.status}`, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, policy.maxMs) : undefined };
  };

  const loop = async (): Promise<void> => {
    let attempt = 0;
    while (!stopped) {
      const batch = buffer.oldest();
      if (batch === undefined) {
        for (const d of drained.splice(0)) d();
        await sleep(60_000);
        continue;
      }
      const outcome = await send(batch);
      if (stopped && outcome.kind === 'retry') break;
      if (outcome.kind === 'retry') {
        failures.inc({ reason: outcome.reason });
        const delay = outcome.retryAfterMs ?? backoffDelay(policy, attempt++);
        if (attempt === 1 || attempt % 10 === 0) {
          const auth = outcome.reason === 'http_401' || outcome.reason === 'http_403';
          log.warn({ reason: outcome.reason, attempt, delayMs: delay, buffered: buffer.length }, auth ? 'server refuses the token (--token, --token-file, VIGIL_TOKEN); batches wait in the buffer' : 'server unavailable; batches wait in the buffer');
        }
        await sleep(delay);
        continue;
      }
      if (attempt > 0) log.info({ attempts: attempt }, 'server reachable again');
      attempt = 0;
      if (outcome.kind === 'sent') {
        batches.inc({ signal: batch.signal, result: 'sent' });
        items.inc({ signal: batch.signal, result: 'sent' }, batch.items - outcome.rejectedItems);
        if (outcome.rejectedItems > 0) {
          items.inc({ signal: batch.signal, result: 'partially_rejected' }, outcome.rejectedItems);
          log.warn({ signal: batch.signal, rejected: outcome.rejectedItems, message: outcome.message }, 'server refused part of a batch');
        }
      } else {
        batches.inc({ signal: batch.signal, result: 'rejected' });
        items.inc({ signal: batch.signal, result: 'rejected' }, batch.items);
        log.error({ signal: batch.signal, status: outcome.status, message: outcome.message }, 'server rejected a batch; it is dropped');
      }
      await buffer.remove(batch);
    }
  };

  return {
    async export(signal, body, n) {
      const gz = await gzip(Buffer.from(JSON.stringify(body)));
      const ok = await buffer.append(signal, gz, n);
      if (!ok) {
        batches.inc({ signal, result: 'dropped' });
        items.inc({ signal, result: 'dropped' }, n);
        log.warn({ signal, items: n, bufferBytes: buffer.bytes, limit: buffer.maxBytes }, 'disk buffer full; batch dropped');
        return false;
      }
      nudge();
      return true;
    },
    start() {
      if (started || stopped) return;
      started = true;
      loopDone = loop().catch((err: unknown) => log.error({ err }, 'agent shipper stopped'));
    },
    async forceFlush(ms) {
      if (buffer.length === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        new Promise<boolean>((resolve) => drained.push(() => resolve(true))),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        }),
      ]);
      clearTimeout(timer);
      return result;
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      nudge();
      await loopDone;
    },
  };
}
