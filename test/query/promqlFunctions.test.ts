import { describe, expect, it } from 'vitest';
import { FUNCTIONS, parseExpr } from '../../query/index.js';
import type { Expr } from '../../query/index.js';
import { childrenOf } from '../../query/index.js';
import { corpus } from './promqlCorpus.js';

describe('PromQL function signatures', () => {
  it('are exactly the functions of Prometheus 2.42', () => {
    expect([...FUNCTIONS.keys()].sort()).toEqual(
      [
        'abs', 'absent', 'absent_over_time', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'avg_over_time', 'ceil', 'changes', 'clamp',
        'clamp_max', 'clamp_min', 'cos', 'cosh', 'count_over_time', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'deg',
        'delta', 'deriv', 'exp', 'floor', 'histogram_count', 'histogram_fraction', 'histogram_quantile', 'histogram_sum', 'holt_winters',
        'hour', 'idelta', 'increase', 'irate', 'label_join', 'label_replace', 'last_over_time', 'ln', 'log10', 'log2', 'max_over_time',
        'min_over_time', 'minute', 'month', 'pi', 'predict_linear', 'present_over_time', 'quantile_over_time', 'rad', 'rate', 'resets',
        'round', 'scalar', 'sgn', 'sin', 'sinh', 'sort', 'sort_desc', 'sqrt', 'stddev_over_time', 'stdvar_over_time', 'sum_over_time',
        'tan', 'tanh', 'time', 'timestamp', 'vector', 'year',
      ].sort(),
    );
  });

  it.each([
    ['rate', ['matrix'], 0, 'vector'],
    ['holt_winters', ['matrix', 'scalar', 'scalar'], 0, 'vector'],
    ['label_join', ['vector', 'string', 'string', 'string'], -1, 'vector'],
    ['round', ['vector', 'scalar'], 1, 'vector'],
    ['year', ['vector'], 1, 'vector'],
    ['quantile_over_time', ['scalar', 'matrix'], 0, 'vector'],
    ['histogram_quantile', ['scalar', 'vector'], 0, 'vector'],
    ['scalar', ['vector'], 0, 'scalar'],
    ['time', [], 0, 'scalar'],
    ['vector', ['scalar'], 0, 'vector'],
  ])('%s(%j) variadic %d returns %s', (name, argTypes, variadic, returnType) => {
    expect(FUNCTIONS.get(name)).toEqual({ name, argTypes, variadic, returnType });
  });

  it('are each called somewhere in the round-trip corpus', () => {
    const called = new Set<string>();
    const walk = (e: Expr): void => {
      if (e.type === 'Call') called.add(e.func.name);
      childrenOf(e).forEach(walk);
    };
    corpus.forEach((q) => walk(parseExpr(q)));
    expect([...FUNCTIONS.keys()].filter((f) => !called.has(f))).toEqual([]);
  });
});
