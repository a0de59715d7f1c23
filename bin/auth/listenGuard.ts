import { isIP } from 'node:net';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '::ffff:127.0.0.1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export type ListenVerdict = 'loopback' | 'authenticated' | 'insecure';

/**
 * Safe by default: a listener reachable from other machines needs authentication. Without it,
 * start-up is refused unless the operator said --insecure-no-auth, which the caller logs as a
 * warning on every start.
 */
export function checkListenSafety(host: string, auth: { readonly enabled: boolean; readonly insecureNoAuth: boolean }, what = 'the HTTP API'): ListenVerdict {
  if (isLoopbackHost(host)) return auth.enabled ? 'authenticated' : 'loopback';
  if (auth.enabled) return 'authenticated';
  if (auth.insecureNoAuth) return 'insecure';
  throw new Error(
    `refusing to serve ${what} on ${host} without authentication: anyone who can reach it could read, write and run deployments. ` +
      `Enable it (--auth, after \`vigil token create\`), listen on 127.0.0.1, or accept the risk with --insecure-no-auth`,
  );
}

/**
 * For listeners whose protocol carries no credentials (syslog, Graphite, Wavefront): --auth cannot
 * protect them, so any non-loopback address needs --insecure-no-auth (logged as a warning).
 */
export function checkCredentiallessListener(host: string, insecureNoAuth: boolean, what: string): ListenVerdict {
  if (isLoopbackHost(host)) return 'loopback';
  if (insecureNoAuth) return 'insecure';
  throw new Error(
    `refusing to listen for ${what} on ${host}: the protocol carries no credentials, so anyone who can reach it could write data. ` +
      `Listen on 127.0.0.1 (and forward from a local relay such as rsyslog), or accept the risk with --insecure-no-auth`,
  );
}
