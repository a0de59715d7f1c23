/** A canonical string for a label set (sorted pairs), to compare series across scrapes. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const n of names) key += `${n}\u00ff${labels[n] as string}\u00fe`;
  return key;
}
