import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncCredentialVerifier, Principal } from '../../core/index.js';
import { VigilError, secretsEqual } from '../../core/index.js';
import type { DirectorStore } from './store.js';

/** Longest secret worth hashing: ours are 43 characters; anything far longer is not one of ours. */
const MAX_SECRET_LENGTH = 256;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Per-VM agent credentials (BOSH gives each VM's agent its own credentials). The director must both check
 * what an agent presents (heartbeats, log shipping) and present the same secret to the agent (apply,
 * get_state) after a restart, yet keep no plaintext per agent. So each secret is derived: HMAC-SHA256 of
 * the agent id under one random 256-bit director key (DATA_DIR/director/agent.key, mode 0600), base64url.
 * The store keeps only SHA-256(secret) per agent, to find the agent a presented secret belongs to; an
 * agent whose VM is deleted (agent id cleared) no longer verifies.
 */
export class AgentCredentials {
  private readonly key: Buffer;

  constructor(
    dir: string,
    private readonly store: DirectorStore,
  ) {
    this.key = loadOrCreateKey(join(dir, 'agent.key'));
  }

  /** The secret of one agent (stable for its id). */
  secretFor(agentId: string): string {
    return createHmac('sha256', this.key).update(`vigil-agent:${agentId}`).digest('base64url');
  }

  /** Mints the credential for a new VM's agent: records its hash, returns the secret for the CPI. */
  issue(agentId: string): string {
    const secret = this.secretFor(agentId);
    this.store.putAgentCredential(agentId, sha256Hex(secret));
    return secret;
  }

  /**
   * A SyncCredentialVerifier for the platform's authentication hook: an agent's secret is a principal
   * `agent:<id>` that may only ingest (heartbeats and log shipping), bound to `tenant`.
   */
  verifier(tenant: string): SyncCredentialVerifier {
    return { verify: (secret) => this.verify(secret, tenant) };
  }

  verify(secret: string, tenant: string): Principal | null {
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_LENGTH) return null;
    let agentId: string | null;
    try {
      agentId = this.store.agentByCredentialHash(sha256Hex(secret));
    } catch {
      return null; // store closed (shutting down): nobody verifies
    }
    // The hash found the agent; the derived secret proves the presented one is current (constant time).
    if (agentId === null || !secretsEqual(this.secretFor(agentId), secret)) return null;
    return { name: `agent:${agentId}`, id: `agent:${agentId}`, scopes: ['ingest'], tenant, agentId };
  }
}

function loadOrCreateKey(file: string): Buffer {
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another director on the same data directory won the race: use its key.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length < 32) throw new VigilError('internal', `${file} does not hold a 256-bit key; restore it from a backup (agents of existing VMs use it)`);
  return key;
}
