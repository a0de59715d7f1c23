import type { ValueType } from './valueType.js';

/**
 * The signature of a PromQL function: what the parser checks a call against. Implementations
 * live with the engine; this table is the single list both must agree on (a test holds them
 * to it). Mirrors Prometheus 2.42's promql/parser/functions.go.
 */
export interface FunctionSignature {
  readonly name: string;
  /** The type of each argument, in order. With `variadic` ≠ 0 the last one may be omitted or repeated. */
  readonly argTypes: readonly ValueType[];
  /**
   * 0: exactly argTypes.length arguments. n > 0: the last argument is optional and the call may
   * take up to argTypes.length - 1 + n arguments (round, the date functions). -1: the last
   * argument may repeat without bound (label_join's source labels).
   */
  readonly variadic: number;
  readonly returnType: ValueType;
}

function sig(name: string, argTypes: readonly ValueType[], returnType: ValueType, variadic = 0): FunctionSignature {
  return Object.freeze({ name, argTypes: Object.freeze([...argTypes]), variadic, returnType });
}

/**
 * Every function of Prometheus 2.42, by name (names are case-sensitive). histogram_count,
 * histogram_sum and histogram_fraction act only on native histograms: on classic (float) series,
 * all Vigil stores, they return an empty vector in Prometheus too.
 */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(
  [
    sig('abs', ['vector'], 'vector'),
    sig('absent', ['vector'], 'vector'),
    sig('absent_over_time', ['matrix'], 'vector'),
    sig('acos', ['vector'], 'vector'),
    sig('acosh', ['vector'], 'vector'),
    sig('asin', ['vector'], 'vector'),
    sig('asinh', ['vector'], 'vector'),
    sig('atan', ['vector'], 'vector'),
    sig('atanh', ['vector'], 'vector'),
    sig('avg_over_time', ['matrix'], 'vector'),
    sig('ceil', ['vector'], 'vector'),
    sig('changes', ['matrix'], 'vector'),
    sig('clamp', ['vector', 'scalar', 'scalar'], 'vector'),
    sig('clamp_max', ['vector', 'scalar'], 'vector'),
    sig('clamp_min', ['vector', 'scalar'], 'vector'),
    sig('cos', ['vector'], 'vector'),
    sig('cosh', ['vector'], 'vector'),
    sig('count_over_time', ['matrix'], 'vector'),
    sig('day_of_month', ['vector'], 'vector', 1),
    sig('day_of_week', ['vector'], 'vector', 1),
    sig('day_of_year', ['vector'], 'vector', 1),
    sig('days_in_month', ['vector'], 'vector', 1),
    sig('deg', ['vector'], 'vector'),
    sig('delta', ['matrix'], 'vector'),
    sig('deriv', ['matrix'], 'vector'),
    sig('exp', ['vector'], 'vector'),
    sig('floor', ['vector'], 'vector'),
    sig('histogram_count', ['vector'], 'vector'),
    sig('histogram_fraction', ['scalar', 'scalar', 'vector'], 'vector'),
    sig('histogram_quantile', ['scalar', 'vector'], 'vector'),
    sig('histogram_sum', ['vector'], 'vector'),
    sig('holt_winters', ['matrix', 'scalar', 'scalar'], 'vector'),
    sig('hour', ['vector'], 'vector', 1),
    sig('idelta', ['matrix'], 'vector'),
    sig('increase', ['matrix'], 'vector'),
    sig('irate', ['matrix'], 'vector'),
    sig('label_join', ['vector', 'string', 'string', 'string'], 'vector', -1),
    sig('label_replace', ['vector', 'string', 'string', 'string', 'string'], 'vector'),
    sig('last_over_time', ['matrix'], 'vector'),
    sig('ln', ['vector'], 'vector'),
    sig('log10', ['vector'], 'vector'),
    sig('log2', ['vector'], 'vector'),
    sig('max_over_time', ['matrix'], 'vector'),
    sig('min_over_time', ['matrix'], 'vector'),
    sig('minute', ['vector'], 'vector', 1),
    sig('month', ['vector'], 'vector', 1),
    sig('pi', [], 'scalar'),
    sig('predict_linear', ['matrix', 'scalar'], 'vector'),
    sig('present_over_time', ['matrix'], 'vector'),
    sig('quantile_over_time', ['scalar', 'matrix'], 'vector'),
    sig('rad', ['vector'], 'vector'),
    sig('rate', ['matrix'], 'vector'),
    sig('resets', ['matrix'], 'vector'),
    sig('round', ['vector', 'scalar'], 'vector', 1),
    sig('scalar', ['vector'], 'scalar'),
    sig('sgn', ['vector'], 'vector'),
    sig('sin', ['vector'], 'vector'),
    sig('sinh', ['vector'], 'vector'),
    sig('sort', ['vector'], 'vector'),
    sig('sort_desc', ['vector'], 'vector'),
    sig('sqrt', ['vector'], 'vector'),
    sig('stddev_over_time', ['matrix'], 'vector'),
    sig('stdvar_over_time', ['matrix'], 'vector'),
    sig('sum_over_time', ['matrix'], 'vector'),
    sig('tan', ['vector'], 'vector'),
    sig('tanh', ['vector'], 'vector'),
    sig('time', [], 'scalar'),
    sig('timestamp', ['vector'], 'vector'),
    sig('vector', ['scalar'], 'vector'),
    sig('year', ['vector'], 'vector', 1),
  ].map((f) => [f.name, f]),
);

export function functionSignature(name: string): FunctionSignature | undefined {
  return FUNCTIONS.get(name);
}
