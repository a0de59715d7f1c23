import { RE2JS } from 're2js';

/** One Alertmanager label matcher: `name="value"`, `name!=value`, `name=~"re"`, `name!~re`. */
export interface AmMatcher {
  readonly name: string;
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  /** The value test (regexes anchored, RE2 as Alertmanager's Go regexp). */
  readonly test: (value: string) => boolean;
}

export function makeMatcher(name: string, type: AmMatcher['type'], value: string): AmMatcher {
  let test: (v: string) => boolean;
  if (type === '=' || type === '!=') test = (v) => v === value;
  else {
    let re: RE2JS;
    try {
      re = RE2JS.compile(`^(?:${value})$`);
    } catch (err) {
      throw new Error(`invalid regular expression ${JSON.stringify(value)} in matcher for ${name}: ${(err as Error).message}`, { cause: err });
    }
    test = (v) => re.matches(v);
  }
  const positive = type === '=' || type === '=~';
  return { name, type, value, test: positive ? test : (v) => !test(v) };
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/**
 * Parses one matcher in Alertmanager's syntax (the `matchers:` lists of routes and inhibit
 * rules): the value may be double-quoted (with Go escapes) or bare.
 */
export function parseMatcher(text: string): AmMatcher {
  const m = MATCHER.exec(text);
  if (m === null) throw new Error(`bad matcher format: ${text}`);
  let value = m[3] as string;
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2) throw new Error(`bad matcher format: ${text}`);
    try {
      value = JSON.parse(value) as string;
    } catch {
      throw new Error(`bad matcher format: ${text}`);
    }
  }
  return makeMatcher(m[1] as string, m[2] as AmMatcher['type'], value);
}

export function matchesAllAm(matchers: readonly AmMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => m.test(labels[m.name] ?? ''));
}
