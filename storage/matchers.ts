/**
 * Label matchers, as in PromQL and LogQL stream selectors. Regular expressions are fully
 * anchored, as Prometheus anchors them: `job=~"api"` does not match "api-2".
 */
export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
}

/** Compiles a matcher into a predicate on a label value ('' when the label is absent). */
export function compileMatcher(m: LabelMatcher): (value: string) => boolean {
  switch (m.type) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const re = new RegExp(`^(?:${m.value})$`, 's');
      return (v) => re.test(v);
    }
    case '!~': {
      const re = new RegExp(`^(?:${m.value})$`, 's');
      return (v) => !re.test(v);
    }
  }
}

/** True when the label set satisfies every matcher (absent labels read as ''). */
export function matchesAll(labels: Readonly<Record<string, string>>, matchers: readonly LabelMatcher[]): boolean {
  for (const m of matchers) {
    if (!compileMatcher(m)(labels[m.name] ?? '')) return false;
  }
  return true;
}
