/**
 * How Loki names labels it extracts from a line: characters outside [a-zA-Z0-9_] become `_`, a
 * leading digit gets a `_` in front, and a name the stream already has gets `_extracted`
 * appended, so an extracted value never overwrites a stream label.
 */
export function sanitizeLabelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** Sets an extracted label on `labels`, renaming it when it collides with a stream label. */
export function setExtracted(labels: Record<string, string>, stream: Readonly<Record<string, string>>, key: string, value: string): void {
  const name = sanitizeLabelName(key);
  if (name === '') return;
  labels[name in stream ? `${name}_extracted` : name] = value;
}

export const ERROR_LABEL = '__error__';
export const ERROR_DETAILS_LABEL = '__error_details__';
