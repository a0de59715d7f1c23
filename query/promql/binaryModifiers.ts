import type { VectorMatching } from './ast.js';
import { parseGroupingLabels } from './groupingLabels.js';
import type { TokenStream } from './tokenStream.js';

/** What is written between a binary operator and its right operand. */
export interface BinaryModifiers {
  readonly returnBool: boolean;
  /** As written; the type check settles it (many-to-many for set operators, null next to a scalar). */
  readonly matching: VectorMatching;
}

/** Parses `[bool] [on|ignoring (labels) [group_left|group_right [(labels)]]]`, in that order only, as Prometheus' grammar has it. */
export function parseBinaryModifiers(s: TokenStream): BinaryModifiers {
  let returnBool = false;
  if (s.isWord('bool')) {
    s.next();
    returnBool = true;
  }
  let card: VectorMatching['card'] = 'one-to-one';
  let on = false;
  let labels: string[] = [];
  let include: string[] = [];
  if (s.isWord('on') || s.isWord('ignoring')) {
    on = s.next().text.toLowerCase() === 'on';
    labels = parseGroupingLabels(s).labels;
    if (s.isWord('group_left') || s.isWord('group_right')) {
      card = s.next().text.toLowerCase() === 'group_left' ? 'many-to-one' : 'one-to-many';
      // The label list is optional; "(" right after group_x always opens it (yacc shifts), never the right operand.
      if (s.isSymbol('(')) include = parseGroupingLabels(s).labels;
    }
  }
  return { returnBool, matching: { card, on, labels, include } };
}
