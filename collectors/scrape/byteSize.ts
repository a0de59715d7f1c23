/** Sizes as Prometheus' body_size_limit takes them: a number of bytes with B, KB, MB, GB (base 2; KiB… too). */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(text.trim());
  if (m === null) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase().replace('I', '');
  const scale: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return Number(m[1]) * (scale[unit] ?? 1);
}
