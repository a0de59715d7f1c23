/**
 * A canonical string for a label set, to compare series across scrapes: sorted pairs, each part
 * length-prefixed so that no label value (whatever characters it holds) can make two different
 * sets look alike.
 */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const n of names) {
    const v = labels[n] as string;
    key += `${n.length}:${n}${v.length}:${v}`;
  }
  return key;
}
