/**
 * /proc/meminfo as node_exporter names it: every field becomes node_memory_<Field>_bytes
 * (kB × 1024), or node_memory_<Field> when it has no unit (HugePages_Total). Parentheses turn
 * into underscores: "Active(anon)" → node_memory_Active_anon_bytes. Pure.
 */
export interface MemInfoEntry {
  readonly metric: string;
  readonly value: number;
}

export function parseMeminfo(text: string): MemInfoEntry[] {
  const out: MemInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (m === null) continue;
    const field = (m[1] as string).replace(/\((.*)\)/, '_$1');
    const value = Number(m[2]);
    out.push(m[3] === 'kB' ? { metric: `node_memory_${field}_bytes`, value: value * 1024 } : { metric: `node_memory_${field}`, value });
  }
  return out;
}
