import { VigilError } from '../../core/index.js';
import type { VigilErrorCode } from '../../core/index.js';

/** The director's base URL from VIGIL_URL (default http://127.0.0.1:8470). */
export function directorUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `${(env['VIGIL_URL'] ?? 'http://127.0.0.1:8470').replace(/\/+$/, '')}/api/v1/director`;
}

/** What to do about a 401/403: a token with the lifecycle scope, bound to every tenant. */
export const tokenAdvice = "set VIGIL_TOKEN to a token with the lifecycle scope (vigil token create --scope lifecycle --tenant '*' --name ops)";

/**
 * A small JSON client for the director API; API errors come back as VigilError with the server's code.
 * Sends `Authorization: Bearer $VIGIL_TOKEN` when the token is set.
 */
export class DirectorClient {
  private readonly token: string | undefined;

  constructor(
    readonly base: string = directorUrl(),
    token: string | undefined = process.env['VIGIL_TOKEN'],
  ) {
    this.token = token === undefined || token.trim() === '' ? undefined : token.trim();
  }

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    let res: Response;
    try {
      const headers: Record<string, string> = {};
      if (this.token !== undefined) headers['authorization'] = `Bearer ${this.token}`;
      if (body !== undefined) headers['content-type'] = Buffer.isBuffer(body) ? contentType : 'application/json';
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new VigilError('unavailable', `cannot reach the director at ${this.base} (set VIGIL_URL): ${(err as Error).message}`);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // not JSON: keep the text
    }
    if (res.status === 401 || res.status === 403) {
      const why = this.token === undefined ? 'the director needs a token' : res.status === 401 ? 'the director does not accept VIGIL_TOKEN' : 'VIGIL_TOKEN may not do this';
      throw new VigilError('bad_data', `${why} (HTTP ${res.status}): ${tokenAdvice}`);
    }
    if (!res.ok) {
      const e = (parsed as { error?: { code?: string; message?: string } }).error;
      throw new VigilError((e?.code ?? 'internal') as VigilErrorCode, e?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    return parsed as T;
  }
}
