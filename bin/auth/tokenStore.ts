import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { CredentialVerifier, Principal, Scope } from '../../core/index.js';
import { ALL_TENANTS, SCOPES, VigilError, formatZodIssues, isValidTenant } from '../../core/index.js';
import { newToken, parseToken } from './tokenFormat.js';

/**
 * scrypt cost. Tokens carry 256 random bits, so the key-derivation cost protects nothing that
 * brute force could reach; it only has to keep a stolen tokens file useless. N = 2^12 (~9 ms here)
 * keeps a flood of bad tokens from tying up the thread pool that DuckDB and the bus also use.
 */
const SCRYPT = { N: 4096, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
/** How often a running server looks at the file for tokens created or revoked by the CLI. */
const RELOAD_CHECK_MS = 1000;
/** Verified tokens remembered (by SHA-256 of the presented text) so only a first use pays scrypt. */
const CACHE_ENTRIES = 1024;
/** Key derivations in flight at once (they run on the thread pool DuckDB and the bus share). */
const MAX_CONCURRENT_DERIVATIONS = 4;

const storedToken = z
  .object({
    id: z.string().regex(/^[0-9a-f]{16}$/),
    name: z.string().min(1).max(200),
    scopes: z.array(z.enum(SCOPES)).min(1),
    tenant: z.string().refine((t) => t === ALL_TENANTS || isValidTenant(t), 'a tenant id or "*"'),
    salt: z.string().min(16),
    hash: z.string().min(16),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .strict();
const tokenFile = z.object({ version: z.literal(1), tokens: z.array(storedToken) }).strict();

export type StoredToken = z.infer<typeof storedToken>;
/** What `vigil token list` shows: everything but the salt and hash. */
export type TokenInfo = Omit<StoredToken, 'salt' | 'hash'>;

export interface CreateTokenRequest {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly tenant: string;
}

function derive(secret: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, Buffer.from(salt, 'base64'), KEY_BYTES, SCRYPT, (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

/**
 * API tokens in one JSON file (mode 0600) holding only scrypt hashes. The CLI creates and revokes
 * tokens in the file, also while a server runs: the server notices the change within a second.
 * Verification always derives a key, also for unknown ids, and compares in constant time.
 */
export class TokenStore implements CredentialVerifier {
  private tokens = new Map<string, StoredToken>();
  private lastReloadError = '';
  private nextCheck = 0;
  private readonly verified = new Map<string, Principal>();
  private deriving = 0;
  /** The file's identity when last loaded: a rewrite within the same mtime tick still differs in size or inode. */
  private loadedStamp = '';

  /** `onReloadError` hears about a tokens file that became unreadable while the server runs. */
  constructor(
    readonly file: string,
    private readonly onReloadError: (err: Error) => void = () => undefined,
  ) {
    this.reload();
  }

  /** Active (not revoked) tokens. */
  get size(): number {
    return [...this.tokens.values()].filter((t) => t.revokedAt === undefined).length;
  }

  list(): TokenInfo[] {
    this.reload();
    return [...this.tokens.values()].map(({ salt: _s, hash: _h, ...info }) => info);
  }

  /** Creates a token; the returned text is the only copy of its secret. */
  async create(req: CreateTokenRequest): Promise<{ readonly token: string; readonly info: TokenInfo }> {
    if (req.tenant !== ALL_TENANTS && !isValidTenant(req.tenant)) throw new Error(`invalid tenant ${JSON.stringify(req.tenant)}: a tenant id or "*" for all tenants`);
    if (req.scopes.length === 0) throw new Error(`a token needs at least one scope (${SCOPES.join(', ')})`);
    this.reload();
    if ([...this.tokens.values()].some((x) => x.name === req.name && x.revokedAt === undefined)) {
      throw new Error(`an active token is already named ${JSON.stringify(req.name)}: pick another name, or revoke that one first`);
    }
    const t = newToken();
    const salt = randomBytes(16).toString('base64');
    const hash = (await derive(t.secret, salt)).toString('base64');
    const candidate = { id: t.id, name: req.name, scopes: [...new Set(req.scopes)], tenant: req.tenant, salt, hash, createdAt: new Date().toISOString() };
    // What is written must load again: one bad entry would lock every client out.
    const checked = storedToken.safeParse(candidate);
    if (!checked.success) throw new Error(`cannot create this token: ${formatZodIssues(checked.error.issues)}`);
    const stored: StoredToken = checked.data;
    this.tokens.set(t.id, stored);
    this.save();
    const { salt: _s, hash: _h, ...info } = stored;
    return { token: t.text, info };
  }

  /** Revokes by id or by name; returns the revoked tokens (none when nothing matched). */
  revoke(idOrName: string): TokenInfo[] {
    this.reload();
    const now = new Date().toISOString();
    const hit: TokenInfo[] = [];
    for (const t of this.tokens.values()) {
      if ((t.id === idOrName || t.name === idOrName) && t.revokedAt === undefined) {
        t.revokedAt = now;
        const { salt: _s, hash: _h, ...info } = t;
        hit.push(info);
      }
    }
    if (hit.length > 0) this.save();
    return hit;
  }

  async verify(presented: string): Promise<Principal | null> {
    this.reloadIfDue();
    const cacheKey = createHash('sha256').update(presented).digest('base64');
    const cached = this.verified.get(cacheKey);
    if (cached !== undefined) return cached;
    const parts = parseToken(presented);
    if (parts === null) return null;
    // The id is public (it names the token in lists and audit entries), so refusing an unknown or
    // revoked id at once reveals nothing and spends no key derivation on a flood of made-up tokens.
    const stored = this.tokens.get(parts.id);
    if (stored === undefined || stored.revokedAt !== undefined) return null;
    if (this.deriving >= MAX_CONCURRENT_DERIVATIONS) {
      throw new VigilError('too_many_requests', 'too many token checks in flight; retry shortly', { retryAfterMs: 1000 });
    }
    this.deriving++;
    let key: Buffer;
    try {
      key = await derive(parts.secret, stored.salt);
    } finally {
      this.deriving--;
    }
    const expected = Buffer.from(stored.hash, 'base64');
    if (expected.length !== key.length || !timingSafeEqual(key, expected)) return null;
    const principal: Principal = { name: stored.name, id: `token:${stored.id}`, scopes: stored.scopes, tenant: stored.tenant };
    if (this.verified.size >= CACHE_ENTRIES) this.verified.clear();
    this.verified.set(cacheKey, principal);
    return principal;
  }

  private reloadIfDue(): void {
    const now = Date.now();
    if (now < this.nextCheck) return;
    this.nextCheck = now + RELOAD_CHECK_MS;
    try {
      this.reload();
    } catch (err) {
      // A running server keeps the tokens it had rather than lock every client out; the operator
      // sees why in the log and `vigil token list` shows the same error.
      if (this.lastReloadError !== (err as Error).message) this.onReloadError(err as Error);
      this.lastReloadError = (err as Error).message;
    }
  }

  /** Loads the file when it changed; throws with the file's name and what is wrong. */
  private reload(): void {
    if (!existsSync(this.file)) {
      if (this.loadedStamp !== 'absent') this.replace(new Map(), 'absent');
      return;
    }
    const st = statSync(this.file);
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (stamp === this.loadedStamp) return;
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      throw new Error(`tokens file ${this.file} is not valid JSON (${(err as Error).message}); restore it or move it away and create tokens anew`);
    }
    const parsed = tokenFile.safeParse(doc);
    if (!parsed.success) throw new Error(`tokens file ${this.file} is invalid: ${formatZodIssues(parsed.error.issues)}`);
    this.replace(new Map(parsed.data.tokens.map((t) => [t.id, t])), stamp);
    this.lastReloadError = '';
  }

  private replace(tokens: Map<string, StoredToken>, stamp: string): void {
    this.tokens = tokens;
    this.loadedStamp = stamp;
    this.verified.clear(); // a revoked token must not live on in the cache
  }

  /** Writes atomically (temp file + rename), readable by the owner only. */
  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, tokens: [...this.tokens.values()] }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    const st = statSync(this.file);
    this.loadedStamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    this.verified.clear();
  }
}

/** Where a configuration keeps its tokens: auth.tokensFile, else <dataDir>/auth/tokens.json. */
export function tokensFileOf(config: { readonly dataDir: string; readonly auth: { readonly tokensFile: string } }): string {
  return config.auth.tokensFile !== '' ? config.auth.tokensFile : join(config.dataDir, 'auth', 'tokens.json');
}
