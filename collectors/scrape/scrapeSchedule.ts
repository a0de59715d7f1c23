/**
 * When a target is scraped: at a fixed phase within its interval, taken from a hash of the target
 * (plus a per-process seed), as Prometheus offsets its scrapes — thousands of targets spread over
 * the interval instead of all firing at once, and each target keeps its rhythm across restarts.
 */
export function scrapePhaseMs(targetHash: number, seed: number, intervalMs: number): number {
  return (targetHash + seed) % intervalMs;
}

/**
 * The next scrape time: the first slot of the grid (t ≡ phase mod interval) after `lastMs` (the
 * last scheduled slot; undefined before the first), never before `nowMs`. Slots missed while a
 * scrape overran are skipped, not caught up.
 */
export function nextScrapeMs(phaseMs: number, intervalMs: number, nowMs: number, lastMs: number | undefined): number {
  let next = lastMs === undefined ? nowMs + ((((phaseMs - (nowMs % intervalMs)) % intervalMs) + intervalMs) % intervalMs) : lastMs + intervalMs;
  if (next < nowMs) next += Math.ceil((nowMs - next) / intervalMs) * intervalMs;
  return next;
}
