/**
 * go-logfmt's decoder as Loki uses it: `key=value`, `key="quoted \"value\""`, bare `key` (an
 * empty value). Returns the pairs, or an error message when the line is malformed; non-strict
 * parsing (Loki's default) keeps the pairs read before the error.
 */
export function parseLogfmt(line: string): { pairs: Array<[string, string]>; error?: string } {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line.charCodeAt(i) > 32 && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (key === '') return { pairs, error: `logfmt syntax error at pos ${i + 1} : unexpected '${line[i] ?? ''}'` };
    if (line[i] !== '=') {
      pairs.push([key, '']);
      continue;
    }
    i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) return { pairs, error: `logfmt syntax error at pos ${i + 1} : unterminated quoted value` };
        const c = line[i] as string;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\' && i + 1 < n) {
          const e = line[i + 1] as string;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      pairs.push([key, value]);
      continue;
    }
    const valueStart = i;
    while (i < n && line.charCodeAt(i) > 32) {
      if (line[i] === '"' || line[i] === '=') return { pairs, error: `logfmt syntax error at pos ${i + 1} : unexpected '${line[i] as string}'` };
      i++;
    }
    pairs.push([key, line.slice(valueStart, i)]);
  }
  return { pairs };
}
