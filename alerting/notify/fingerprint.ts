/**
 * Alertmanager's alert fingerprint (Prometheus' model.LabelSet.Fingerprint): FNV-1a 64 over the
 * label names and values sorted by name, each followed by a 0xff separator byte, as 16 hex digits.
 */
export function alertFingerprint(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return 'cbf29ce484222325';
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  const feed = (bytes: Uint8Array): void => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * prime) & mask;
  };
  const sep = new Uint8Array([0xff]);
  const enc = new TextEncoder();
  for (const n of names) {
    feed(enc.encode(n));
    feed(sep);
    feed(enc.encode(labels[n] as string));
    feed(sep);
  }
  return h.toString(16).padStart(16, '0');
}
