import { z } from 'zod';

/** How long the director watches an updated instance: sleep `minMs`, then poll until healthy or `maxMs`. */
export interface WatchTime {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * `canary_watch_time` / `update_watch_time`: milliseconds as a number ("sleep this long, then check once"),
 * or a range "1000-30000" ("sleep 1000 ms, then poll until healthy, give up at 30000 ms").
 */
export const watchTimeSchema = z
  .union([z.number().int().min(0), z.string().regex(/^\s*\d+\s*(-\s*\d+\s*)?$/, 'milliseconds or a range like "1000-30000"')])
  .transform((v, ctx): WatchTime => {
    if (typeof v === 'number') return { minMs: v, maxMs: v };
    const [a, b] = v.split('-').map((s) => Number(s.trim()));
    const minMs = a ?? 0;
    const maxMs = b ?? minMs;
    if (maxMs < minMs) ctx.addIssue({ code: 'custom', message: `range ${v}: the end is before the start` });
    return { minMs, maxMs };
  });
