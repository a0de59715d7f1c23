import { VigilError } from '../../core/index.js';
import type { MetricExpr, RangeAggregation } from './ast.js';

/**
 * A LogQL metric expression as the PromQL text the engine evaluates (metricQuery.ts), with each
 * range aggregation's log selection replaced by a series of samples named `seriesName(i)`: one
 * sample per line (1, the line's bytes, or the unwrapped value), at the line's time rounded up
 * to the millisecond. Loki's windows are (t - range, t]; Prometheus 2.42's are [t - range, t];
 * with times rounded up, a line at (t - range, t] in ns is one at [t - range + 1ms, t] in ms, so
 * the selector's range is the LogQL range minus 1 ms.
 */
export function seriesName(i: number): string {
  return `__logql_${i}`;
}

export function promqlText(e: MetricExpr, leaves: readonly RangeAggregation[]): string {
  switch (e.kind) {
    case 'number':
      return numberText(e.value);
    case 'vectorLiteral':
      return `vector(${numberText(e.value)})`;
    case 'labelReplace':
      return `label_replace(${promqlText(e.expr, leaves)}, ${e.args.map((a) => JSON.stringify(a)).join(', ')})`;
    case 'vector': {
      const grouping = e.grouping === undefined ? '' : ` ${e.grouping.without ? 'without' : 'by'} (${e.grouping.labels.join(', ')})`;
      const param = e.param === undefined ? '' : `${numberText(e.param)}, `;
      if (e.op === 'sort' || e.op === 'sort_desc') return `${e.op}(${promqlText(e.expr, leaves)})`;
      return `${e.op}${grouping} (${param}${promqlText(e.expr, leaves)})`;
    }
    case 'binary': {
      let modifiers = e.bool ? ' bool' : '';
      if (e.matching !== undefined) {
        modifiers += ` ${e.matching.on ? 'on' : 'ignoring'}(${e.matching.labels.join(', ')})`;
        if (e.matching.group !== undefined) modifiers += ` group_${e.matching.group.side}(${e.matching.group.include.join(', ')})`;
      }
      return `(${promqlText(e.lhs, leaves)}) ${e.op}${modifiers} (${promqlText(e.rhs, leaves)})`;
    }
    case 'range':
      return rangeText(e, leaves.indexOf(e));
  }
}

function rangeText(r: RangeAggregation, index: number): string {
  if (index < 0) throw new VigilError('internal', 'range aggregation missing from the leaves');
  if (r.rangeMs < 2) throw new VigilError('bad_data', 'the range of a range aggregation must be at least 2ms');
  // absent_over_time's answer carries the selector's equality matchers' labels, as Loki's does.
  const eq = r.op === 'absent_over_time' ? r.log.matchers.filter((m) => m.type === '=').map((m) => `${m.name}=${JSON.stringify(m.value)}`) : [];
  const offset = r.offsetMs === 0 ? '' : ` offset ${r.offsetMs}ms`;
  const sel = `${seriesName(index)}{${eq.join(', ')}}[${r.rangeMs - 1}ms]${offset}`;
  const seconds = numberText(r.rangeMs / 1000);
  switch (r.op) {
    case 'count_over_time':
    case 'absent_over_time':
    case 'sum_over_time':
    case 'avg_over_time':
    case 'min_over_time':
    case 'max_over_time':
    case 'stddev_over_time':
    case 'stdvar_over_time':
    case 'last_over_time':
      return `${r.op}(${sel})`;
    case 'quantile_over_time':
      return `quantile_over_time(${numberText(r.param ?? NaN)}, ${sel})`;
    case 'rate':
      return r.unwrap === undefined ? `(count_over_time(${sel}) / ${seconds})` : `(sum_over_time(${sel}) / ${seconds})`;
    case 'bytes_over_time':
      return `sum_over_time(${sel})`;
    case 'bytes_rate':
      return `(sum_over_time(${sel}) / ${seconds})`;
    case 'rate_counter':
      return `rate(${sel})`;
    case 'first_over_time':
      throw new VigilError('bad_data', 'first_over_time is not supported yet');
  }
}

function numberText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
