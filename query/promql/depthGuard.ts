import type { Expr } from './ast.js';
import { childrenOf } from './ast.js';
import { ParseError } from './parseError.js';

/**
 * Most levels of nesting a query may have, counting both the parser's recursion (`((((…`) and
 * the depth of the tree it builds (`a + a + a …` is iterative to parse but deep to walk).
 * Every later stage (type check, printer, evaluator) walks the tree recursively, so the bound
 * keeps all of them far from the JS stack limit. Prometheus has none; real queries, even
 * generated `a or b or …` chains, stay well below it.
 */
export const MAX_NESTING_DEPTH = 1000;

export class DepthGuard {
  private recursion = 0;
  private readonly depths = new WeakMap<Expr, number>();

  /** Called on entering a nested expression that starts at `pos`. */
  enter(pos: number): void {
    if (++this.recursion > MAX_NESTING_DEPTH) throw tooDeep(pos);
  }

  leave(): void {
    this.recursion--;
  }

  /** Registers a newly built node, failing when it makes the tree too deep. */
  node<T extends Expr>(n: T): T {
    let depth = 1;
    for (const c of childrenOf(n)) depth = Math.max(depth, (this.depths.get(c) ?? 1) + 1);
    if (depth > MAX_NESTING_DEPTH) throw tooDeep(n.pos.start);
    this.depths.set(n, depth);
    return n;
  }
}

function tooDeep(pos: number): ParseError {
  return new ParseError(pos, `expression nesting too deep: more than ${MAX_NESTING_DEPTH} levels`);
}
