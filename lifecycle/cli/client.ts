import { VigilError } from '../../core/index.js';
import type { VigilErrorCode } from '../../core/index.js';

/** The director's base URL from VIGIL_URL (default http://127.0.0.1:8470). */
export function directorUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `${(env['VIGIL_URL'] ?? 'http://127.0.0.1:8470').replace(/\/+$/, '')}/api/v1/director`;
}

/** A small JSON client for the director API; API errors come back as VigilError with the server's code. */
export class DirectorClient {
  constructor(readonly base: string = directorUrl()) {}

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        ...(body !== undefined
          ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body), headers: { 'content-type': Buffer.isBuffer(body) ? contentType : 'application/json' } }
          : {}),
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
    if (!res.ok) {
      const e = (parsed as { error?: { code?: string; message?: string } }).error;
      throw new VigilError((e?.code ?? 'internal') as VigilErrorCode, e?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    return parsed as T;
  }
}
