import { readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RE2JS } from 're2js';

/**
 * The regular files an absolute glob names: `*` and `?` within one path segment, `[abc]`
 * classes, and `**` for any number of directories. Segments are matched with RE2 (linear time,
 * whatever the pattern). Directories that cannot be read are skipped; symbolic links to
 * directories are not followed by `**` (no cycles). At most `limit` files (default 10000).
 */
export async function globFiles(pattern: string, limit = 10_000): Promise<string[]> {
  if (!isAbsolute(pattern)) throw new Error(`log path ${JSON.stringify(pattern)} must be absolute`);
  const segments = pattern.split('/').filter((s) => s.length > 0);
  const out: string[] = [];
  const walk = async (dir: string, i: number): Promise<void> => {
    if (out.length >= limit) return;
    const seg = segments[i];
    if (seg === undefined) return;
    const last = i === segments.length - 1;
    if (seg === '**') {
      // Zero directories, or one more and stay on '**'.
      await walk(dir, i + 1);
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), i);
      return;
    }
    if (!hasMagic(seg)) {
      const path = join(dir, seg);
      if (last) {
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        if (entries.some((e) => e.name === seg && (e.isFile() || e.isSymbolicLink()))) out.push(path);
      } else await walk(path, i + 1);
      return;
    }
    const re = segmentRegex(seg);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      // As in shells, a wildcard does not match a leading dot.
      if ((e.name.startsWith('.') && !seg.startsWith('.')) || !re.matches(e.name)) continue;
      if (last) {
        if (e.isFile() || e.isSymbolicLink()) out.push(join(dir, e.name));
      } else if (e.isDirectory() || e.isSymbolicLink()) await walk(join(dir, e.name), i + 1);
      if (out.length >= limit) return;
    }
  };
  await walk('/', 0);
  return out;
}

const hasMagic = (s: string): boolean => /[*?[]/.test(s);

const cache = new Map<string, RE2JS>();

/** One glob segment as an RE2 pattern (matched whole by `matches`). */
function segmentRegex(seg: string): RE2JS {
  const cached = cache.get(seg);
  if (cached !== undefined) return cached;
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && seg.indexOf(']', i + 2) > 0) {
      const end = seg.indexOf(']', i + 2);
      const body = seg.slice(i + 1, end).replace(/\\/g, '\\\\');
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else re += c.replace(/[.+*?^${}()|[\]\\]/g, '\\$&');
  }
  const compiled = RE2JS.compile(re);
  cache.set(seg, compiled);
  return compiled;
}
