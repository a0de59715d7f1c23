import { resolveMaxInFlight } from '../manifest/index.js';
import type { UpdateConfig, WatchTime } from '../manifest/index.js';

/** One instance's update, ready to run; `canary` only changes how it is watched and reported. */
export interface UpdateUnit {
  readonly name: string;
  run(watch: WatchTime, canary: boolean): Promise<void>;
}

export class UpdateFailed extends Error {}

/**
 * Runs `units` with at most `limit` at a time; after the first failure it starts no more, lets the
 * running ones finish, and throws the failures.
 */
async function pool(units: readonly UpdateUnit[], limit: number, watch: WatchTime, canary: boolean): Promise<void> {
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (failures.length === 0 && next < units.length) {
      const u = units[next++] as UpdateUnit;
      try {
        await u.run(watch, canary);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, units.length)) }, () => worker()));
  if (failures.length > 0) throw new UpdateFailed(failures.join('; '));
}

/**
 * Updates one instance group the BOSH way: the first `canaries` instances (watched for canary_watch_time)
 * and, only if they all came up, the rest `max_in_flight` at a time (watched for update_watch_time).
 * A failed canary stops the group: it is left as it is for debugging and no other instance is touched.
 */
export async function updateGroup(group: string, units: readonly UpdateUnit[], update: UpdateConfig, groupSize: number): Promise<void> {
  const maxInFlight = resolveMaxInFlight(update.max_in_flight, groupSize);
  const canaries = units.slice(0, update.canaries);
  const rest = units.slice(update.canaries);
  try {
    await pool(canaries, Math.min(update.canaries, maxInFlight), update.canary_watch_time, true);
  } catch (err) {
    throw new UpdateFailed(`canary failed in ${group}: ${(err as Error).message}; update stopped, ${rest.length} other instance(s) left untouched`);
  }
  try {
    await pool(rest, maxInFlight, update.update_watch_time, false);
  } catch (err) {
    throw new UpdateFailed(`update of ${group} failed: ${(err as Error).message}`);
  }
}

/** Groups in manifest order when `serial`, else all at once (every group still honours its own canaries). */
export async function updateGroups(
  groups: readonly { name: string; units: readonly UpdateUnit[]; update: UpdateConfig; size: number }[],
  serial: boolean,
): Promise<void> {
  if (serial) {
    for (const g of groups) await updateGroup(g.name, g.units, g.update, g.size);
    return;
  }
  const results = await Promise.allSettled(groups.map((g) => updateGroup(g.name, g.units, g.update, g.size)));
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as Error).message);
  if (errors.length > 0) throw new UpdateFailed(errors.join('; '));
}
