import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/**
 * Expands file globs as Go's filepath.Glob does for Prometheus' rule_files: `*`, `?` and
 * `[…]` within one path element (never across `/`). A pattern without wildcards names a file
 * that must exist. Results are sorted and deduplicated.
 */
export function expandGlobs(patterns: readonly string[], cwd = process.cwd()): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
    if (!/[*?[]/.test(abs)) {
      out.add(abs);
      continue;
    }
    const parts = abs.split(sep).filter((p, i) => p !== '' || i === 0);
    let paths = [parts[0] === '' ? sep : (parts[0] as string)];
    for (const part of parts.slice(1)) {
      if (!/[*?[]/.test(part)) {
        paths = paths.map((p) => join(p, part));
        continue;
      }
      const re = globPart(part);
      paths = paths.flatMap((dir) => {
        try {
          return readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => join(dir, n));
        } catch {
          return [];
        }
      });
    }
    for (const p of paths) {
      try {
        if (statSync(p).isFile()) out.add(p);
      } catch {
        // vanished between listing and stat
      }
    }
  }
  return [...out].sort();
}

function globPart(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 1);
      if (end < 0) throw new Error(`syntax error in pattern ${part}`);
      const body = part.slice(i + 1, end).replace(/^\^/, '!');
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
