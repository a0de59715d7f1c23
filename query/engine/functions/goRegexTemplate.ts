/**
 * Go's Regexp.Expand, which label_replace uses for its replacement: `$1` and `${1}` insert
 * group 1, `$name` and `${name}` a named group, `$$` a dollar. A name is the longest run of
 * letters, digits and `_` (so `$1x` means the group named "1x", which does not exist, and inserts
 * nothing: write `${1}x`); a group that does not exist or did not take part inserts nothing; a
 * `$` not followed by a name is kept as written.
 */
export function expandTemplate(template: string, group: (index: number) => string | null | undefined, namedGroups: Readonly<Record<string, number>>): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractReference(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    const index = ref.num >= 0 ? ref.num : Object.hasOwn(namedGroups, ref.name) ? namedGroups[ref.name] : undefined;
    if (index !== undefined) out += group(index) ?? '';
  }
  return out + rest;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's extract(): the reference after a `$`, its group number (-1 unless all decimal digits without a leading zero) and the text after it. */
function extractReference(s: string): { name: string; num: number; rest: string } | undefined {
  let i = 0;
  const brace = s.startsWith('{');
  if (brace) i = 1;
  const start = i;
  for (const ch of s.slice(start)) {
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = s.slice(start, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  let num = -1;
  // Go gives up on numbers past nine digits (and on leading zeros): the reference is a name then.
  if (/^[0-9]{1,9}$/.test(name) && !(name.length > 1 && name.startsWith('0'))) num = Number(name);
  return { name, num, rest: s.slice(i) };
}
