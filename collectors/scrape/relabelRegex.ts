import { RE2JS } from 're2js';

/**
 * A relabeling regex as Prometheus compiles it: Go's RE2 syntax, anchored at both ends, `.` not
 * matching a newline unless the pattern says `(?s)` (as in storage/regex.ts, which label
 * matchers use; collectors/ may not import storage/, so the few lines are repeated here).
 */
export interface RelabelRegex {
  readonly source: string;
  /** True when the whole of `value` matches. */
  test(value: string): boolean;
  /** The capture groups of a full match (index 0 is the whole value), or undefined. */
  match(value: string): RelabelMatch | undefined;
}

export interface RelabelMatch {
  group(index: number): string;
  /** The group named `name`, or '' when there is none (as Go's Expand treats it). */
  named(name: string): string;
}

/** Compiles `source`; throws an Error naming the pattern and Go's complaint. */
export function compileRelabelRegex(source: string): RelabelRegex {
  let compiled: RE2JS;
  try {
    RE2JS.compile(source); // the bare pattern first, so that an error quotes what the user wrote
    compiled = RE2JS.compile(`(?-s)^(?:${source})$`);
  } catch (err) {
    throw new Error(`invalid regex ${JSON.stringify(source)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const names = compiled.namedGroups();
  const groups = compiled.groupCount();
  return {
    source,
    test: (value) => compiled.testExact(value),
    match(value) {
      const m = compiled.matcher(value);
      if (!m.matches()) return undefined;
      return {
        group: (i) => (i <= groups ? (m.group(i) ?? '') : ''),
        named: (name) => {
          const i = names[name];
          return i === undefined ? '' : (m.group(i) ?? '');
        },
      };
    },
  };
}

/**
 * Go's Regexp.ExpandString: `$1`, `${1}`, `$name`, `${name}` and `$$`. A bare name takes the
 * longest run of letters, digits and `_`, so `$1x` is the (missing, hence empty) group "1x" —
 * Prometheus' well-known trap, kept. A `$` not followed by a name is kept as written.
 */
export function expandTemplate(template: string, match: RelabelMatch): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string;
    let next: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      name = close === -1 ? '' : template.slice(i + 2, close);
      next = close + 1;
      if (!/^[A-Za-z0-9_]+$/.test(name)) name = '';
    } else {
      let j = i + 1;
      while (j < template.length && /[A-Za-z0-9_]/.test(template[j] as string)) j++;
      name = template.slice(i + 1, j);
      next = j;
    }
    if (name === '') {
      out += '$';
      i++;
      continue;
    }
    out += /^\d+$/.test(name) && name.length < 9 ? match.group(Number(name)) : match.named(name);
    i = next;
  }
  return out;
}
