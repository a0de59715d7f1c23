import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { CredentialVerifier, Principal, Scope } from '../../core/index.js';
import { ALL_TENANTS, SCOPES, formatZodIssues, isValidTenant } from '../../core/index.js';
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
  private loadedMtimeMs = -1;
  private nextCheck = 0;
  private readonly verified = new Map<string, Principal>();
  private readonly dummySalt = randomBytes(16).toString('base64');

  constructor(readonly file: string) {
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
    const t = newToken();
    const salt = randomBytes(16).toString('base64');
    const hash = (await derive(t.secret, salt)).toString('base64');
    const stored: StoredToken = { id: t.id, name: req.name, scopes: [...new Set(req.scopes)], tenant: req.tenant, salt, hash, createdAt: new Date().toISOString() };
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
    const stored = this.tokens.get(parts.id);
    const usable = stored !== undefined && stored.revokedAt === undefined;
    // An unknown or revoked id costs the same derivation as a known one.
    const key = await derive(parts.secret, usable ? stored.salt : this.dummySalt);
    const expected = usable ? Buffer.from(stored.hash, 'base64') : Buffer.alloc(KEY_BYTES);
    const match = expected.length === key.length && timingSafeEqual(key, expected) && usable;
    if (!match || stored === undefined) return null;
    const principal: Principal = { name: stored.name, id: `token:${stored.id}`, scopes: stored.scopes, tenant: stored.tenant };
    if (this.verified.size >= CACHE_ENTRIES) this.verified.clear();
    this.verified.set(cacheKey, principal);
    return principal;
  }

  private reloadIfDue(): void {
    const now = Date.now();
    if (now < this.nextCheck) return;
    this.nextCheck = now + RELOAD_CHECK_MS;
    this.reload();
  }

  private reload(): void {
    if (!existsSync(this.file)) {
      if (this.loadedMtimeMs !== 0) this.replace(new Map(), 0);
      return;
    }
    const mtime = statSync(this.file).mtimeMs;
    if (mtime === this.loadedMtimeMs) return;
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      throw new Error(`tokens file ${this.file} is not valid JSON (${(err as Error).message}); restore it or move it away and create tokens anew`);
    }
    const parsed = tokenFile.safeParse(doc);
    if (!parsed.success) throw new Error(`tokens file ${this.file} is invalid: ${formatZodIssues(parsed.error.issues)}`);
    this.replace(new Map(parsed.data.tokens.map((t) => [t.id, t])), mtime);
  }

  private replace(tokens: Map<string, StoredToken>, mtime: number): void {
    this.tokens = tokens;
    this.loadedMtimeMs = mtime;
    this.verified.clear(); // a revoked token must not live on in the cache
  }

  /** Writes atomically (temp file + rename), readable by the owner only. */
  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, tokens: [...this.tokens.values()] }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    this.loadedMtimeMs = statSync(this.file).mtimeMs;
    this.verified.clear();
  }
}

/** Where a configuration keeps its tokens: auth.tokensFile, else <dataDir>/auth/tokens.json. */
export function tokensFileOf(config: { readonly dataDir: string; readonly auth: { readonly tokensFile: string } }): string {
  return config.auth.tokensFile !== '' ? config.auth.tokensFile : join(config.dataDir, 'auth', 'tokens.json');
}
