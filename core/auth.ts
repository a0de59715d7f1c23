import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who a request acts as, and what it may do. Tokens carry scopes and are bound to one tenant or to
 * all ('*'); `admin` implies every other scope. The HTTP edge (bin/http) authenticates once per
 * request and checks the route group's scope; engines only ever see the resulting tenant.
 */
export const SCOPES = ['ingest', 'read', 'admin', 'lifecycle'] as const;
export type Scope = (typeof SCOPES)[number];

/** Bound to every tenant. */
export const ALL_TENANTS = '*';

export interface Principal {
  /** Human name of the credential (token name, or `agent:<id>` for a lifecycle agent). */
  readonly name: string;
  /** Stable id of the credential, safe to log and audit (never the secret). */
  readonly id: string;
  readonly scopes: readonly Scope[];
  /** The one tenant this credential may act for, or ALL_TENANTS. */
  readonly tenant: string;
  /** For lifecycle agents: the agent id the credential was minted for. */
  readonly agentId?: string;
}

/** True when `principal` may use routes that need `scope`. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

/**
 * Checks a presented secret. Implementations compare in constant time and answer null for anything
 * they do not know; they never throw for bad input.
 */
export interface CredentialVerifier {
  verify(secret: string): Principal | null | Promise<Principal | null>;
}

/** A verifier that answers at once (in-memory secrets such as the lifecycle agents'). */
export interface SyncCredentialVerifier extends CredentialVerifier {
  verify(secret: string): Principal | null;
}

/** Cortex/Mimir/Loki's tenant id rules: what a tenant may be called anywhere in Vigil. */
const TENANT = /^[a-zA-Z0-9!._*'()-]{1,150}$/;

/** True for a usable tenant id (no path tricks such as '.' or '..', no separators). */
export function isValidTenant(value: string): boolean {
  return TENANT.test(value) && value !== '.' && value !== '..' && value !== ALL_TENANTS;
}

/**
 * The secret an `Authorization` header presents: `Bearer <secret>` (scheme in any case), or, when
 * `basic` is allowed, the password of `Basic base64(user:password)` for clients that only know
 * basic auth. Undefined for anything else.
 */
export function presentedSecret(header: string | undefined, opts: { readonly basic: boolean } = { basic: false }): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') return value.length > 0 ? value : undefined;
  if (scheme === 'basic' && opts.basic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon < 0 ? decoded : decoded.slice(colon + 1);
    return password.length > 0 ? password : undefined;
  }
  return undefined;
}

/** Constant-time equality of two secrets: their SHA-256 digests are compared, so lengths never leak. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
