import { isStaleNaN } from '../../core/index.js';
import type { Queryable } from '../../query/index.js';
import type { LabelMatcher } from '../../storage/index.js';
import type { AlertingRule } from './alertingRule.js';
import { ALERTS_FOR_STATE_METRIC } from './alertingRule.js';

export interface RestoreOptions {
  readonly queryable: Queryable;
  /** How long a down time may last for `for` state to be restored (--rules.alert.for-outage-tolerance, 1h). */
  readonly outageToleranceMs: number;
  /** Least time left to fire after a restore (--rules.alert.for-grace-period, 10m). */
  readonly forGracePeriodMs: number;
}

/**
 * Restores the ActiveAt of pending alerts from ALERTS_FOR_STATE after a restart, as Prometheus'
 * Group.RestoreForState: an alert that was firing fires again at once; one that was pending
 * keeps the pending time it had (shifted by the down time), but never fires sooner than the
 * grace period from now. Rules with a `for` shorter than the grace period start afresh.
 * Resolves to the number of alerts whose ActiveAt was restored.
 */
export async function restoreForState(rules: readonly AlertingRule[], ts: number, opts: RestoreOptions): Promise<number> {
  let restored = 0;
  const querier = opts.queryable.querier(ts - opts.outageToleranceMs, ts);
  for (const rule of rules) {
    const hold = rule.spec.forMs;
    if (hold < opts.forGracePeriodMs) {
      rule.restored = true;
      continue;
    }
    for (const a of rule.allAlerts()) {
      const labels = { ...a.labels, __name__: ALERTS_FOR_STATE_METRIC };
      const matchers: LabelMatcher[] = Object.entries(labels).map(([name, value]) => ({ type: '=', name, value }) as LabelMatcher);
      const found = (await querier.selectSamples(matchers)).find((s) => Object.keys(s.labels).length === matchers.length);
      if (found === undefined) continue;
      const last = found.timestamps.length - 1;
      const v = found.values[last] as number;
      if (isStaleNaN(v)) continue; // it was not active when we went down
      const downAt = Math.floor((found.timestamps[last] as number) / 1000) * 1000;
      let activeAt = v * 1000;
      const remaining = hold - (downAt - activeAt);
      if (remaining <= 0) {
        // It was firing: the next round sets it firing again if its expression still holds.
      } else if (remaining < opts.forGracePeriodMs) {
        activeAt = ts + opts.forGracePeriodMs - hold;
      } else {
        activeAt += ts - downAt;
      }
      a.activeAtMs = activeAt;
      restored++;
    }
    rule.restored = true;
  }
  return restored;
}
