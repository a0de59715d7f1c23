import { randomBytes } from 'node:crypto';

/**
 * What a token looks like on the wire: `vgl_<id>_<secret>`. The id (16 hex digits) is public —
 * it names the token in `vigil token list` and in audit entries — and finds the stored hash; the
 * secret (32 random bytes, base64url) is shown once and never stored. The prefix lets secret
 * scanners recognise a leaked Vigil token.
 */
const TOKEN = /^vgl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface TokenParts {
  readonly id: string;
  readonly secret: string;
}

export function newToken(): TokenParts & { readonly text: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, text: `vgl_${id}_${secret}` };
}

/** Splits a presented token; null for anything that is not shaped like one. */
export function parseToken(text: string): TokenParts | null {
  const m = TOKEN.exec(text);
  return m === null ? null : { id: m[1] as string, secret: m[2] as string };
}
