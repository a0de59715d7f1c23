/**
 * /proc/vmstat, the fields node_exporter reports by default (`^(oom_kill|pgpg|pswp|pg.*fault).*`)
 * as node_vmstat_<field>. node_exporter types them untyped; we say "unknown", the same thing in
 * our metadata. Pure.
 */
const defaultFields = /^(oom_kill|pgpg|pswp|pg.*fault).*/;

export function parseVmstat(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of text.split('\n')) {
    const [field, value] = line.trim().split(/\s+/);
    if (field === undefined || value === undefined || !defaultFields.test(field)) continue;
    const n = Number(value);
    if (!Number.isNaN(n)) out.push([`node_vmstat_${field}`, n]);
  }
  return out;
}

/** /proc/sys/fs/file-nr: "allocated  unused  maximum" file handles. */
export function parseFileNr(text: string): { allocated: number; maximum: number } | undefined {
  const [allocated, , maximum] = text.trim().split(/\s+/).map(Number);
  if (allocated === undefined || maximum === undefined || Number.isNaN(allocated) || Number.isNaN(maximum)) return undefined;
  return { allocated, maximum };
}
