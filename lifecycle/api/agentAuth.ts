import type { FastifyRequest } from 'fastify';
import type { SyncCredentialVerifier } from '../../core/index.js';
import { presentedSecret, quote } from '../../core/index.js';

/**
 * Checks that a request speaks for `agentId`: it carries that agent's own credential as a bearer token,
 * and, when the platform authenticated the request, its principal is that same agent. Returns null when
 * it does, else why not (for a 401).
 */
export function agentOfRequest(req: FastifyRequest, agentId: string, agents: SyncCredentialVerifier): string | null {
  const secret = presentedSecret(req.headers.authorization);
  if (secret === undefined) return `agent ${quote(agentId, 64)}: send Authorization: Bearer <the VM's agent secret>`;
  const principal = agents.verify(secret);
  if (principal === null || principal.agentId !== agentId) return `agent ${quote(agentId, 64)}: the credential is not this agent's (unknown, revoked with its VM, or another agent's)`;
  const platform = req.identity?.principal;
  if (platform !== null && platform !== undefined && platform.agentId !== agentId) return `agent ${quote(agentId, 64)}: the request is authenticated as ${platform.id}, not as this agent`;
  return null;
}
