import { z } from 'zod';

/** `max_in_flight`: a count of instances, or a share of the group such as "25%". */
export const maxInFlightSchema = z.union([
  z.number().int().min(1),
  z.string().regex(/^(100|[1-9]\d?)%$/, 'a count or a percentage between 1% and 100%'),
]);

export type MaxInFlight = z.infer<typeof maxInFlightSchema>;

/** Resolves a count or share against a group size; never below 1 so an update always progresses. */
export function resolveMaxInFlight(value: MaxInFlight, groupSize: number): number {
  if (typeof value === 'number') return value;
  const pct = Number(value.slice(0, -1));
  return Math.max(1, Math.ceil((groupSize * pct) / 100));
}
