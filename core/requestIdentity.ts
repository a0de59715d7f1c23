import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth.js';
import { isValidTenant } from './auth.js';
import { VigilError } from './errors.js';
import { quote } from './quote.js';

/** What the HTTP edge learnt about a request before any handler ran. */
export interface RequestIdentity {
  /** The tenant every read and write of this request is bound to. */
  readonly tenant: string;
  /** The authenticated credential; null when authentication is off. */
  readonly principal: Principal | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the platform's authentication hook (bin/http/auth.ts) on every non-public route. */
    identity?: RequestIdentity;
  }
}

/** Parses X-Scope-OrgID; undefined when the header is absent. Throws bad_data on an invalid id. */
export function tenantHeader(req: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = req.headers['x-scope-orgid'];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!isValidTenant(value)) {
    throw new VigilError('bad_data', `invalid X-Scope-OrgID ${quote(value)}: 1-150 characters of letters, digits and !-_.*'()`);
  }
  return value;
}

/**
 * The request's tenant: the one the authentication hook resolved (from the token, or the header when
 * authentication is off), or — for a plugin mounted without the platform's hook, as in unit tests —
 * X-Scope-OrgID, else `fallback`.
 */
export function requestTenant(req: Pick<FastifyRequest, 'headers' | 'identity'>, fallback: string): string {
  return req.identity?.tenant ?? tenantHeader(req) ?? fallback;
}
