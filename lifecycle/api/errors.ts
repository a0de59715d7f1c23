import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { VigilError, capMessage, formatZodIssues, httpStatusOf, isVigilError } from '../../core/index.js';

/** Parses with zod; a failure is a bad_data VigilError naming each field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new VigilError('bad_data', formatZodIssues(r.error.issues, where));
  return r.data;
}

/** The one mapping from errors to HTTP for the director's routes: {error: {code, message}}. */
export function directorErrorHandler(err: FastifyError | Error, _req: FastifyRequest, reply: FastifyReply): void {
  if (isVigilError(err)) {
    void reply.status(httpStatusOf(err.code)).send({ error: { code: err.code, message: capMessage(err.message) } });
    return;
  }
  const status = (err as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.status(status).send({ error: { code: status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_data', message: capMessage(err.message) } });
    return;
  }
  void reply.status(500).send({ error: { code: 'internal', message: capMessage(err.message) } });
}
