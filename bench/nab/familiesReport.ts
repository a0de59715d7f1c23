/*
 * The synthetic families NAB lacks (test/support/anomalyFamilies.ts), scored at the alert level 0.5: each
 * anomaly's delay against the delay it must be caught within, and false alarms per 30 days.
 */
import { createDetector } from '../../alerting/index.js';
import type { FamilySeries } from '../../test/support/index.js';
import { FAMILY_HOUR as HOUR, FAMILY_MINUTE as MINUTE, evaluate, families } from '../../test/support/index.js';

export const ALERT_LEVEL = 0.5;

export function familyScores(kind: string, s: FamilySeries): number[] {
  const d = createDetector(kind, {}, { counter: s.counter });
  return s.values.map((v, i) => d.update(s.timestamps[i] as number, v).score);
}

function duration(ms: number): string {
  return ms < HOUR ? `${Math.round(ms / MINUTE)} min` : `${(ms / HOUR).toFixed(1)} h`;
}

/** One line per family and detector: caught in time / caught late / missed, worst delay, false alarms per 30 days. */
export function familiesReport(kinds: readonly string[]): string[] {
  const lines: string[] = [];
  const all = families();
  const names = [...new Set(all.map((s) => s.family))];
  for (const family of names) {
    for (const kind of kinds) {
      let inTime = 0;
      let late = 0;
      let missed = 0;
      let worst = 0;
      let falseAlarms = 0;
      let days = 0;
      const misses = new Set<string>();
      for (const s of all.filter((x) => x.family === family)) {
        const r = evaluate(s, familyScores(kind, s), ALERT_LEVEL);
        falseAlarms += r.falseAlarms;
        days += ((s.timestamps[s.timestamps.length - 1] as number) - (s.timestamps[0] as number)) / (24 * HOUR);
        for (const o of r.outcomes) {
          if (o.delay < 0) {
            missed++;
            misses.add(o.anomaly.what);
          } else if (o.delay <= o.anomaly.within) inTime++;
          else {
            late++;
            misses.add(`${o.anomaly.what} late`);
          }
          if (o.delay >= 0) worst = Math.max(worst, o.delay);
        }
      }
      const total = inTime + late + missed;
      lines.push(
        `  ${family.padEnd(20)} ${kind.padEnd(10)} in time ${inTime}/${total}, late ${late}, missed ${missed}, worst delay ${duration(worst)}, false alarms ${((30 * falseAlarms) / days).toFixed(1)} per 30 days${misses.size > 0 ? `  [${[...misses].join('; ')}]` : ''}`,
      );
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of familiesReport(['vigil', 'vigil-nab'])) console.log(l);
