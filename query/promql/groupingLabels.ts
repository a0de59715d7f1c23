import type { TokenStream } from './tokenStream.js';

/** Label names in `by (…)`, `on (…)`, `group_left (…)`: any word except numbers, and no ':' (Prometheus' maybe_label + isLabel). */
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parses `( [label {, label} [,]] )`; the current token must be "(" or the error names `context`. */
export function parseGroupingLabels(s: TokenStream): { labels: string[]; end: number } {
  s.expectSymbol('(', 'grouping opts', '"("');
  const labels: string[] = [];
  for (;;) {
    if (s.isSymbol(')')) return { labels, end: s.next().end };
    const t = s.peek();
    const isWord = t.kind === 'identifier' || t.kind === 'metricIdentifier' || t.kind === 'keyword' || t.kind === 'aggregator';
    if (!isWord || !labelNamePattern.test(t.text)) throw s.unexpected('grouping opts', 'label');
    labels.push(s.next().text);
    if (s.isSymbol(')')) return { labels, end: s.next().end };
    if (!s.isSymbol(',')) throw s.unexpected('grouping opts', '"," or ")"');
    s.next();
  }
}
