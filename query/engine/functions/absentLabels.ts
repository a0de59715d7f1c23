import type { Labels } from '../../../core/index.js';
import type { Expr } from '../../promql/index.js';

/**
 * The labels absent() and absent_over_time() answer with, as Prometheus 2.42 derives them from
 * the argument: each `name="value"` matcher of a selector becomes a label, except `__name__`,
 * an empty value (a missing label), and a name that also has another matcher (its value is not
 * known then). Any other expression gives no labels. Outer parentheses do not count: 2.42's
 * engine removes them from call arguments before calling the function.
 */
export function absentLabels(arg: Expr | undefined): Labels {
  let expr = arg;
  while (expr?.type === 'ParenExpr') expr = expr.expr;
  const selector = expr?.type === 'VectorSelector' ? expr : expr?.type === 'MatrixSelector' ? expr.vector : undefined;
  if (selector === undefined) return {};
  const labels = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const m of selector.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !labels.has(m.name)) {
      // Setting an empty value is deleting the label: a later `name="v"` may still set it.
      if (m.value !== '') labels.set(m.name, m.value);
    } else {
      ambiguous.add(m.name);
    }
  }
  for (const name of ambiguous) labels.delete(name);
  return Object.fromEntries(labels);
}
