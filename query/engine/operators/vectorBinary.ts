import { VigilError } from '../../../core/index.js';
import type { ArithmeticOp, ComparisonOp, VectorMatching } from '../../promql/index.js';
import type { VectorElement } from '../types.js';
import { dropMetricName } from '../values.js';
import { elementBinop } from './comparison.js';
import { keyOf, labelsOf, matchedLabels, signatureFn } from './matching.js';
import { labelsString } from './goFormat.js';
import { resultLabels } from './resultLabels.js';

/**
 * Arithmetic and comparisons between two instant vectors (Prometheus' VectorBinop): each
 * element of the "many" side meets the one element of the "one" side with the same signature.
 * One-to-many is computed as many-to-one with the sides swapped, the operands put back in
 * their written order for the value.
 */
export function arithmeticOrComparison(
  op: ArithmeticOp | ComparisonOp,
  lhs: readonly VectorElement[],
  rhs: readonly VectorElement[],
  matching: VectorMatching,
  returnBool: boolean,
  t: number,
): VectorElement[] {
  if (matching.card === 'many-to-many') throw new VigilError('internal', 'many-to-many matching is only for set operators');
  if (lhs.length === 0 || rhs.length === 0) return [];
  const swapped = matching.card === 'one-to-many';
  const many = swapped ? rhs : lhs;
  const one = swapped ? lhs : rhs;
  const signature = signatureFn(matching.on, matching.labels);

  const oneBySignature = new Map<string, VectorElement>();
  for (const element of one) {
    const sig = signature(element.labels);
    const earlier = oneBySignature.get(sig);
    if (earlier !== undefined) throw duplicateOnOneSide(element, earlier, matching, swapped ? 'left' : 'right');
    oneBySignature.set(sig, element);
  }

  // Per signature: nothing yet (one-to-one), or the result label sets already produced (many-to-one).
  const matched = new Map<string, Set<string> | null>();
  const out: VectorElement[] = [];
  for (const element of many) {
    const sig = signature(element.labels);
    const partner = oneBySignature.get(sig);
    if (partner === undefined) continue;
    const [l, r] = swapped ? [partner.v, element.v] : [element.v, partner.v];
    const result = elementBinop(op, l, r);
    // A comparison that filters an element out never counts as a match, so it cannot cause the errors below.
    if (!result.keep && !returnBool) continue;
    const value = returnBool ? (result.keep ? 1 : 0) : result.value;
    let labels = resultLabels(element.labels, partner.labels, op, matching);
    if (returnBool) labels = dropMetricName(labels);

    const produced = matched.get(sig);
    if (matching.card === 'one-to-one') {
      if (produced !== undefined) {
        throw new VigilError('execution', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      }
      matched.set(sig, null);
    } else {
      const key = keyOf(labels, labelsOf(labels));
      const seen = produced ?? new Set<string>();
      if (seen.has(key)) throw new VigilError('execution', 'multiple matches for labels: grouping labels must ensure unique results');
      seen.add(key);
      matched.set(sig, seen);
    }
    out.push({ labels, t, v: value });
  }
  return out;
}

function duplicateOnOneSide(element: VectorElement, earlier: VectorElement, matching: VectorMatching, side: 'left' | 'right'): VigilError {
  const group = labelsString(matchedLabels(element.labels, matching.on, matching.labels));
  return new VigilError(
    'execution',
    `found duplicate series for the match group ${group} on the ${side} hand-side of the operation: ` +
      `[${labelsString(element.labels)}, ${labelsString(earlier.labels)}]` +
      ';many-to-many matching not allowed: matching labels must be unique on one side',
  );
}
