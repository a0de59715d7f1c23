import { readFile } from 'node:fs/promises';
import { SCRAPE_ACCEPT_HEADER } from '../../ingest/index.js';
import type { ScrapeAuth } from './scrapeJob.js';
import type { ScrapeTarget } from './scrapeTarget.js';

/** One scrape's answer: the body as text and its Content-Type (which picks the parser). */
export interface ScrapeResponse {
  readonly contentType: string | undefined;
  readonly text: string;
}

/**
 * Gets a target's exposition. Rejects with an Error whose message says what went wrong (as
 * Prometheus' lastError); must give up when `signal` aborts (the scrape timeout).
 */
export type ScrapeFetcher = (target: ScrapeTarget, signal: AbortSignal) => Promise<ScrapeResponse>;

export interface HttpFetcherOptions {
  readonly auth: ScrapeAuth | undefined;
  readonly followRedirects: boolean;
  /** Most bytes read from a response, after decompression; beyond it the scrape fails. */
  readonly bodyLimitBytes: number;
  readonly userAgent: string;
}

/**
 * Scrapes over HTTP(S) as Prometheus does: its Accept header (OpenMetrics first), gzip, the
 * X-Prometheus-Scrape-Timeout-Seconds header, basic or Authorization credentials (files re-read
 * on every scrape, so a rotated token is picked up), only 200 accepted, the body bounded.
 */
export function httpFetcher(options: HttpFetcherOptions): ScrapeFetcher {
  return async (target, signal) => {
    const headers: Record<string, string> = {
      accept: SCRAPE_ACCEPT_HEADER,
      'accept-encoding': 'gzip',
      'user-agent': options.userAgent,
      'x-prometheus-scrape-timeout-seconds': String(target.timeoutMs / 1000),
    };
    const authorization = await authorizationOf(options.auth);
    if (authorization !== undefined) headers.authorization = authorization;
    const res = await fetch(target.url, { headers, signal, redirect: options.followRedirects ? 'follow' : 'manual' });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`server returned HTTP status ${res.status} ${res.statusText}`);
    }
    const text = await readBounded(res, options.bodyLimitBytes);
    return { contentType: res.headers.get('content-type') ?? undefined, text };
  };
}

async function readBounded(res: Response, limit: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`body size limit exceeded: more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function authorizationOf(auth: ScrapeAuth | undefined): Promise<string | undefined> {
  if (auth === undefined) return undefined;
  const secret = async (inline: string | undefined, file: string | undefined): Promise<string> => {
    if (file === undefined) return inline ?? '';
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch (err) {
      throw new Error(`cannot read the credentials file ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  if (auth.kind === 'basic') return `Basic ${Buffer.from(`${auth.username}:${await secret(auth.password, auth.passwordFile)}`).toString('base64')}`;
  return `${auth.type} ${await secret(auth.credentials, auth.credentialsFile)}`;
}
