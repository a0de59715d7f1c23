import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { CredentialVerifier, Principal, RequestIdentity, Scope } from '../../core/index.js';
import { ALL_TENANTS, hasScope, presentedSecret, tenantHeader, VigilError } from '../../core/index.js';
import { routeScope } from './routeScope.js';

export interface AuthenticationOptions {
  /** When false, every request acts for X-Scope-OrgID's tenant (or the default) without a credential. */
  readonly enabled: boolean;
  readonly defaultTenant: string;
  /** Asked in order; the first that knows the secret wins (API tokens, lifecycle agents' credentials). */
  readonly verifiers: () => readonly CredentialVerifier[];
  /** Routes (fastify route URLs) anyone may call, e.g. /-/healthy. */
  readonly publicRoutes: ReadonlySet<string>;
  /** Counts refusals by reason ('missing', 'invalid', 'scope', 'tenant'). */
  readonly refused: Counter<'reason'>;
}

/**
 * The one place requests are authenticated and authorised. Every route but the public ones needs
 * a credential (401 without one) carrying the scope of its route group (403 otherwise); a route
 * that belongs to no group is refused to everyone, so a route added without a scope fails closed.
 * The request's tenant is the token's own; a token for all tenants acts for X-Scope-OrgID's.
 */
export function installAuthentication(app: FastifyInstance, opts: AuthenticationOptions): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.routeOptions.url;
    if (url !== undefined && opts.publicRoutes.has(url)) return;
    if (!opts.enabled) {
      req.identity = { tenant: tenantHeader(req) ?? opts.defaultTenant, principal: null };
      return;
    }
    const principal = await authenticate(req, reply, opts);
    // Known from here on, also when authorisation fails below: audit entries name who was refused.
    req.identity = { tenant: principal.tenant === ALL_TENANTS ? opts.defaultTenant : principal.tenant, principal };
    const scope: Scope | undefined = routeScope(req);
    if (scope === undefined) {
      // Unmatched URLs (404) and routes without a group: nothing to authorise against.
      if (url === undefined) return;
      opts.refused.inc({ reason: 'scope' });
      throw new VigilError('forbidden', `route ${req.method} ${url} belongs to no scope group; it is closed to every token`);
    }
    if (!hasScope(principal, scope)) {
      opts.refused.inc({ reason: 'scope' });
      throw new VigilError('forbidden', `token "${principal.name}" lacks the "${scope}" scope this route needs`);
    }
    req.identity = identityOf(principal, tenantHeader(req), opts);
  });
}

async function authenticate(req: FastifyRequest, reply: FastifyReply, opts: AuthenticationOptions): Promise<Principal> {
  const secret = presentedSecret(req.headers.authorization, { basic: true });
  if (secret === undefined) {
    opts.refused.inc({ reason: 'missing' });
    void reply.header('WWW-Authenticate', 'Bearer realm="vigil"');
    throw new VigilError('unauthorized', 'authentication required: send "Authorization: Bearer <token>" (create one with `vigil token create`)');
  }
  for (const verifier of opts.verifiers()) {
    const principal = await verifier.verify(secret);
    if (principal !== null) return principal;
  }
  opts.refused.inc({ reason: 'invalid' });
  void reply.header('WWW-Authenticate', 'Bearer realm="vigil", error="invalid_token"');
  throw new VigilError('unauthorized', 'the token is unknown or revoked');
}

function identityOf(principal: Principal, header: string | undefined, opts: AuthenticationOptions): RequestIdentity {
  if (principal.tenant === ALL_TENANTS) return { tenant: header ?? opts.defaultTenant, principal };
  if (header !== undefined && header !== principal.tenant) {
    opts.refused.inc({ reason: 'tenant' });
    throw new VigilError('forbidden', `token "${principal.name}" is bound to tenant "${principal.tenant}", not to X-Scope-OrgID "${header}"`);
  }
  return { tenant: principal.tenant, principal };
}
