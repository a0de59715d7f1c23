import type { TimeSeries } from '../../core/index.js';
import type { Command } from './promqlScript.js';

export type EvalCommand = Extract<Command, { kind: 'evalInstant' | 'evalRange' }>;

/**
 * A script cut at its `clear`s: the series loaded since the last clear, the lookback in force
 * and the evals that read them. Runners give each section its own storage (a tenant, a label)
 * so that all of a script's sections, and all scripts, can share one store.
 */
export interface Section {
  readonly index: number;
  readonly series: readonly TimeSeries[];
  /** Undefined while no `lookback_delta` has been set: the engine's default, 5m. */
  readonly lookbackMs: number | undefined;
  readonly evals: readonly EvalCommand[];
}

export function sectionsOf(commands: readonly Command[]): Section[] {
  const sections: Section[] = [];
  let series: TimeSeries[] = [];
  let evals: EvalCommand[] = [];
  let lookbackMs: number | undefined;
  const close = (): void => {
    if (series.length > 0 || evals.length > 0) sections.push({ index: sections.length, series, lookbackMs, evals });
    series = [];
    evals = [];
  };
  for (const cmd of commands) {
    switch (cmd.kind) {
      case 'load':
        series.push(...cmd.series);
        break;
      case 'clear':
        close();
        break;
      case 'lookback':
        close();
        lookbackMs = cmd.ms;
        break;
      case 'maxSamples':
        // Prometheus takes its sample limit per process: a section could not be checked against it.
        throw new Error(`line ${cmd.line}: max_samples belongs in test/query/data scripts, which only Vigil runs`);
      default:
        evals.push(cmd);
    }
  }
  close();
  return sections;
}
