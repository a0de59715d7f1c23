/**
 * The meltdown guard: healing many instances at once usually means the infrastructure itself is sick, and
 * recreating VMs would make it worse. The limit is a count ("more than N") or a share ("more than 50%").
 */
export function inMeltdown(unhealthy: number, total: number, limit: number | string): boolean {
  if (typeof limit === 'number') return unhealthy > limit;
  const pct = Number(limit.replace('%', ''));
  return total > 0 && (unhealthy * 100) / total > pct;
}
