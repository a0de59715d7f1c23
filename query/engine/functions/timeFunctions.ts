import { dropMetricName } from '../values.js';
import type { EvalValue } from '../values.js';
import { vectorArg, vectorResult } from './callArgs.js';
import { civilTime, civilTimeOfValue, daysInMonth } from './civilTime.js';
import type { CivilTime } from './civilTime.js';
import type { CallContext, FunctionImpl } from './functionTypes.js';

/**
 * time(), timestamp() and the date functions, all in UTC. A date function reads each value as
 * seconds since the epoch; without an argument it reads the evaluation time, as vector(time())
 * (one element, no labels).
 */
export const TIME_FUNCTIONS: ReadonlyMap<string, FunctionImpl> = new Map<string, FunctionImpl>([
  ['time', (_args, ctx) => ({ kind: 'scalar', v: ctx.t / 1000 })],
  ['timestamp', timestamp],
  ['day_of_month', dateFunction((c) => c.day)],
  ['day_of_week', dateFunction((c) => c.dayOfWeek)],
  ['day_of_year', dateFunction((c) => c.dayOfYear)],
  ['days_in_month', dateFunction((c) => daysInMonth(c.year, c.month))],
  ['hour', dateFunction((c) => c.hour)],
  ['minute', dateFunction((c) => c.minute)],
  ['month', dateFunction((c) => c.month)],
  ['year', dateFunction((c) => c.year)],
]);

function dateFunction(field: (c: CivilTime) => number): FunctionImpl {
  return (args: readonly EvalValue[], ctx: CallContext) => {
    if (args.length === 0) {
      // Go divides the millisecond time as an integer: truncation towards zero.
      return vectorResult([{ labels: {}, t: ctx.t, v: field(civilTime(Math.trunc(ctx.t / 1000))) }]);
    }
    return vectorResult(vectorArg(args, 0).map((e) => ({ labels: dropMetricName(e.labels), t: ctx.t, v: field(civilTimeOfValue(e.v)) })));
  };
}

/**
 * timestamp(v): each element's own timestamp in seconds. For a plain selector argument the
 * evaluator passes elements with the time of the sample it found (not the evaluation time),
 * as Prometheus does; for any other argument an element's time is the evaluation time.
 */
function timestamp(args: readonly EvalValue[], ctx: CallContext): EvalValue {
  return vectorResult(vectorArg(args, 0).map((e) => ({ labels: dropMetricName(e.labels), t: ctx.t, v: e.t / 1000 })));
}
