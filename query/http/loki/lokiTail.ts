import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { DEFAULT_TENANT, requestTenant, VigilError } from '../../../core/index.js';
import type { Queryable, QueryableStore } from '../../engine/index.js';
import { tenantQueryable } from '../../engine/index.js';
import type { LogExpr } from '../../logql/index.js';
import { evalLogQuery, parseLogql } from '../../logql/index.js';
import { toPromError } from '../apiError.js';
import { Form } from '../params.js';
import { limitParam, lokiTimeNs, nsToMs } from './lokiParams.js';

export interface TailOptions {
  readonly store: QueryableStore;
  readonly defaultTenant?: string;
  readonly maxQueryLength: number;
  /** Most tails open at once on this server (default 100); one more is refused. */
  readonly maxTails?: number;
  /** How often a tail looks for new lines (default 1 s). */
  readonly pollMs?: number;
  readonly now?: () => number;
}

const NS_PER_MS = 1_000_000n;
/** Loki's bound on delay_for. */
const MAX_DELAY_S = 5;

/**
 * GET /loki/api/v1/tail over WebSocket, as Loki serves it: `query` (a log query), `start`
 * (default an hour ago), `limit` (lines of the first answer, default 100) and `delay_for`
 * (0–5 s: how far behind now a tail stays, so late lines still arrive). Each frame is
 * `{"streams":[{"stream":{…},"values":[["<ns>","<line>"]]}],"dropped_entries":null}`. The tail
 * polls the store for lines after the newest it sent, one poll at a time; it ends when the
 * client closes. Needs @fastify/websocket registered on the server (bin/httpServer.ts does).
 */
export function registerTail(app: FastifyInstance, opts: TailOptions): void {
  let open = 0;
  const maxTails = opts.maxTails ?? 100;
  const pollMs = opts.pollMs ?? 1000;
  const now = opts.now ?? Date.now;
  app.get('/loki/api/v1/tail', { websocket: true }, (socket: WebSocket, req: FastifyRequest) => {
    let start: { expr: LogExpr; fromNs: bigint; limit: number; delayMs: number; logs: Queryable };
    try {
      if (open >= maxTails) throw new VigilError('limit_exceeded', `too many tails open (at most ${maxTails})`);
      const form = new Form(new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''));
      const text = form.get('query');
      if (text === '') throw new VigilError('bad_data', 'missing parameter "query"');
      if (Buffer.byteLength(text) > opts.maxQueryLength) throw new VigilError('bad_data', `the query is longer than the limit of ${opts.maxQueryLength} bytes`);
      const expr = parseLogql(text);
      if (expr.kind !== 'log') throw new VigilError('bad_data', 'tail needs a log query, not a metric query');
      const delay = form.get('delay_for') === '' ? 0 : Number(form.get('delay_for'));
      if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_S) throw new VigilError('bad_data', `delay_for must be an integer from 0 to ${MAX_DELAY_S} seconds`);
      const fromNs = lokiTimeNs(form, 'start', BigInt(now() - 3600_000) * NS_PER_MS);
      start = { expr, fromNs, limit: limitParam(form), delayMs: delay * 1000, logs: tenantQueryable(opts.store, requestTenant(req, opts.defaultTenant ?? DEFAULT_TENANT)) };
    } catch (err) {
      // The WebSocket is open already: say why in a close frame (its reason is at most 123 bytes).
      socket.close(1008, Buffer.from(toPromError(err).message).subarray(0, 123).toString());
      return;
    }
    open++;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let afterNs = start.fromNs - 1n;
    let first = true;
    const poll = async (): Promise<void> => {
      const endNs = BigInt(now() - start.delayMs) * NS_PER_MS + 1n;
      if (endNs > afterNs + 1n) {
        const q = start.logs.querier(nsToMs(afterNs + 1n), nsToMs(endNs - 1n), { signal: controller.signal });
        // The first answer is the newest `limit` lines since start; later ones everything new, oldest first.
        const streams = await evalLogQuery(q, start.expr, { startNs: afterNs + 1n, endNs, direction: first ? 'backward' : 'forward', limit: first ? start.limit : 10_000 });
        first = false;
        const lines = streams.flatMap((s) => s.entries.map((e) => e.timeNs));
        if (lines.length > 0) {
          afterNs = lines.reduce((a, b) => (a > b ? a : b));
          const frame = streams.map((s) => ({ stream: s.labels, values: [...s.entries].sort((a, b) => (a.timeNs < b.timeNs ? -1 : 1)).map((e) => [String(e.timeNs), e.line]) }));
          socket.send(JSON.stringify({ streams: frame, dropped_entries: null }));
        }
      }
    };
    const loop = (): void => {
      poll()
        .catch((err: unknown) => {
          if (!controller.signal.aborted) socket.close(1011, Buffer.from(toPromError(err).message).subarray(0, 123).toString());
        })
        .finally(() => {
          if (!controller.signal.aborted) timer = setTimeout(loop, pollMs).unref();
        });
    };
    socket.on('close', () => {
      open--;
      controller.abort(new VigilError('timeout', 'tail closed by the client'));
      clearTimeout(timer);
    });
    loop();
  });
}
