import type { TimeSeries } from '../../core/index.js';
import type { Expr } from '../../query/index.js';
import { formatExpr, parseExpr } from '../../query/index.js';

/**
 * Many scripts' sections in one Prometheus: each section's series carry one more label, and
 * every selector of its queries asks for it, so a query sees its own section's series only, at
 * the script's own times. Results are compared with that label taken off again.
 */
export const SECTION_LABEL = 'promql_script_section';

export function withSectionLabel(series: readonly TimeSeries[], section: string): TimeSeries[] {
  return series.map((s) => ({ labels: { ...s.labels, [SECTION_LABEL]: section }, samples: s.samples }));
}

/** The query with the section's matcher added to every selector, or undefined when it does not parse here. */
export function querySection(query: string, section: string): string | undefined {
  let expr: Expr;
  try {
    expr = parseExpr(query);
  } catch {
    return undefined;
  }
  return formatExpr(scoped(expr, section));
}

function scoped(e: Expr, section: string): Expr {
  switch (e.type) {
    case 'NumberLiteral':
    case 'StringLiteral':
      return e;
    case 'VectorSelector':
      return { ...e, matchers: [...e.matchers, { type: '=', name: SECTION_LABEL, value: section }] };
    case 'MatrixSelector':
      return { ...e, vector: { ...e.vector, matchers: [...e.vector.matchers, { type: '=', name: SECTION_LABEL, value: section }] } };
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      return { ...e, expr: scoped(e.expr, section) };
    case 'BinaryExpr':
      return { ...e, lhs: scoped(e.lhs, section), rhs: scoped(e.rhs, section) };
    case 'AggregateExpr':
      return { ...e, expr: scoped(e.expr, section), param: e.param === null ? null : scoped(e.param, section) };
    case 'Call':
      return { ...e, args: e.args.map((a) => scoped(a, section)) };
  }
}
