import type { Engine, Queryable } from '../../query/index.js';
import type { RuleQueryFunc } from './ruleTypes.js';

/**
 * Rules' query function over the PromQL engine (Prometheus' EngineQueryFunc): an instant
 * vector as is, a scalar as one element without labels, anything else an error.
 */
export function engineQueryFunc(engine: Engine, queryable: Queryable): RuleQueryFunc {
  return async (expr, ts) => {
    const v = await engine.instantQuery(queryable, expr, ts);
    switch (v.resultType) {
      case 'vector':
        return v.result.map((e) => ({ labels: e.labels, v: e.v }));
      case 'scalar':
        return [{ labels: {}, v: v.result.v }];
      default:
        throw new Error('rule result is not a vector or scalar');
    }
  };
}
