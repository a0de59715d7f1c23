import { quote, VigilError } from '../core/index.js';
import { regexTester } from './regex.js';

/**
 * Label matchers, as in PromQL and LogQL stream selectors. Regular expressions are RE2, fully
 * anchored, as Prometheus anchors them: `job=~"api"` does not match "api-2" (see regex.ts).
 */
export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
}

/**
 * Compiles a matcher into a predicate on a label value ('' when the label is absent). A regex
 * that is not valid RE2 throws VigilError 'bad_data' naming the matcher.
 */
export function compileMatcher(m: LabelMatcher): (value: string) => boolean {
  switch (m.type) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const test = checkedRegex(m);
      return (v) => test(v);
    }
    case '!~': {
      const test = checkedRegex(m);
      return (v) => !test(v);
    }
  }
}

/** The matcher's regex as a full-match test; throws 'bad_data' naming the matcher when it is not valid RE2. */
export function checkedRegex(m: LabelMatcher): (value: string) => boolean {
  const test = regexTester(m.value);
  if (typeof test === 'string') throw new VigilError('bad_data', `invalid regular expression in matcher ${m.name}${m.type}${quote(m.value)}: ${test}`);
  return test;
}

/** True when the label set satisfies every matcher (absent labels read as ''). */
export function matchesAll(labels: Readonly<Record<string, string>>, matchers: readonly LabelMatcher[]): boolean {
  for (const m of matchers) {
    if (!compileMatcher(m)(labels[m.name] ?? '')) return false;
  }
  return true;
}
