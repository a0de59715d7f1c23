import { createHmac } from 'node:crypto';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';

/** Host names of cloud metadata services, refused whatever they resolve to. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/**
 * Whether an address is link-local or a cloud metadata endpoint: 169.254.0.0/16 (AWS, GCP,
 * Azure, OpenStack metadata at 169.254.169.254), fe80::/10, AWS' IPv6 metadata fd00:ec2::254,
 * Alibaba's 100.100.100.200, and their IPv4-mapped IPv6 forms.
 */
export function isForbiddenAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(a) === 4) return a.startsWith('169.254.') || a === '100.100.100.200';
  return /^fe[89ab][0-9a-f]:/.test(a) || a === 'fd00:ec2::254';
}

export class ForbiddenDestinationError extends Error {
  override readonly name = 'ForbiddenDestinationError';
}

/** A DNS lookup that refuses forbidden addresses, so the check covers the address actually connected to. */
function guardedLookup(hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err !== null) return callback(err, []);
    const list = addresses;
    const bad = list.find((a) => isForbiddenAddress(a.address));
    if (bad !== undefined) return callback(new ForbiddenDestinationError(`refusing to send to ${hostname} (${bad.address}): a link-local or cloud metadata address`), []);
    if (options.all === true) return callback(null, list);
    const first = list[0];
    if (first === undefined) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    return callback(null, first.address, first.family);
  });
}

export interface PostOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly hmacSecret?: string;
  readonly timeoutMs: number;
  /** Allow link-local and metadata destinations (notify.allowLinkLocal). */
  readonly allowLinkLocal: boolean;
}

/** POSTs a JSON body; resolves to the HTTP status. Rejects on network errors and forbidden destinations. */
export function postJson(url: string, body: string, opts: PostOptions): Promise<number> {
  const u = new URL(url);
  if (!opts.allowLinkLocal) {
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (METADATA_HOSTS.has(host.toLowerCase()) || (isIP(host) !== 0 && isForbiddenAddress(host))) {
      return Promise.reject(new ForbiddenDestinationError(`refusing to send to ${u.hostname}: a link-local or cloud metadata address`));
    }
  }
  const headers: Record<string, string> = { ...opts.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Vigil-Notifier' };
  if (opts.hmacSecret !== undefined) headers['x-vigil-signature'] = `sha256=${createHmac('sha256', opts.hmacSecret).update(body).digest('hex')}`;
  const request = u.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: 'POST', headers, timeout: opts.timeoutMs, ...(opts.allowLinkLocal ? {} : { lookup: guardedLookup }) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
