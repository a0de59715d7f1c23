/** Most bytes of user input an error message quotes. */
export const MAX_QUOTED_BYTES = 200;

/**
 * JSON-quotes user input for an error message, cut to about MAX_QUOTED_BYTES (UTF-8) with a note
 * of the full length, so an error never echoes a large body back.
 */
export function quote(value: string, maxBytes = MAX_QUOTED_BYTES): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return JSON.stringify(value);
  let cut = value.slice(0, maxBytes);
  while (Buffer.byteLength(cut, 'utf8') > maxBytes) cut = cut.slice(0, -1);
  return `${JSON.stringify(cut)}… (${Buffer.byteLength(value, 'utf8')} bytes)`;
}
