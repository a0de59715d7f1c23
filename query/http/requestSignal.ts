import type { FastifyReply } from 'fastify';
import { VigilError } from '../../core/index.js';

/**
 * Aborts when the request's work should stop: after `timeoutMs`, or when the client closes the
 * connection before the answer is sent (its reason then says so; nobody will read the reply).
 * One controller and a plain timer, not AbortSignal.any(AbortSignal.timeout(…)): the composite
 * holds its sources weakly, and a query that allocates millions of samples had its timeout
 * signal garbage-collected and never fire (seen in test/query/cancelApi.test.ts).
 */
export function requestSignal(reply: FastifyReply, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  reply.raw.once('close', () => {
    clearTimeout(timer);
    if (!reply.raw.writableFinished) controller.abort(new VigilError('timeout', 'query canceled: the client closed the connection'));
  });
  return controller.signal;
}
