import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of docs/ARCHITECTURE.md, enforced:
 * 1. A folder may import only the folders listed for it (depend inward; bin/ is the composition root).
 * 2. An import that crosses into another top-level folder must name that folder's index.ts
 *    (bin/, test/ and bench/ may also name a backend's own index, e.g. storage/duckdb/index.ts).
 * 3. No import cycles between top-level folders, nor between files (a cycle inside a folder, such
 *    as a plugin and the handlers it registers importing each other, is a knot too: shared types
 *    go to a file of their own).
 */
const root = resolve(import.meta.dirname, '..');

const allowed: Record<string, readonly string[]> = {
  core: [],
  storage: ['core'],
  ingest: ['core', 'storage'],
  query: ['core', 'storage'],
  collectors: ['core', 'ingest'],
  alerting: ['core', 'query', 'storage'],
  lifecycle: ['core'],
  ui: ['core', 'query'],
  bin: ['core', 'storage', 'ingest', 'query', 'collectors', 'alerting', 'lifecycle', 'ui'],
  test: ['core', 'storage', 'ingest', 'query', 'collectors', 'alerting', 'lifecycle', 'ui', 'bin'],
  // Benchmarks reuse test/support to run the built CLI as users do.
  bench: ['core', 'storage', 'ingest', 'query', 'collectors', 'alerting', 'lifecycle', 'ui', 'bin', 'test'],
};
const compositionRoots = new Set(['bin', 'test', 'bench']);

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'static') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

interface Edge {
  from: string;
  spec: string;
  fromTop: string;
  toTop: string;
  toPath: string;
}

/** Every relative import of every source file: the importing file and the spec as written. */
function imports(): { file: string; spec: string; top: string }[] {
  const out: { file: string; spec: string; top: string }[] = [];
  for (const top of Object.keys(allowed)) {
    let files: string[];
    try {
      files = tsFiles(join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push({ file, spec: (m[1] ?? m[2]) as string, top });
    }
  }
  return out;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const { file, spec, top } of imports()) {
    const rel = relative(root, resolve(dirname(file), spec));
    const toTop = rel.split(sep)[0] as string;
    if (toTop === top || !(toTop in allowed)) continue;
    out.push({ from: relative(root, file), spec, fromTop: top, toTop, toPath: rel.split(sep).join('/') });
  }
  return out;
}

/** Every file's relative imports, as paths from the root (`.js` specifiers name `.ts` files). */
function fileGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const { file, spec } of imports()) {
    const from = relative(root, file).split(sep).join('/');
    const target = relative(root, resolve(dirname(file), spec).replace(/\.js$/, '.ts')).split(sep).join('/');
    graph.set(from, [...(graph.get(from) ?? []), target]);
  }
  return graph;
}

/** The strongly connected components with more than one file (Tarjan): each is an import cycle. */
function fileCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

describe('architecture', () => {
  const all = edges();

  it('folders depend only inward', () => {
    const bad = all.filter((e) => !(allowed[e.fromTop] ?? []).includes(e.toTop)).map((e) => `${e.from} → ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it('imports across folders go through an index', () => {
    const bad = all
      .filter((e) => {
        const parts = e.toPath.split('/');
        const isIndex = parts[parts.length - 1] === 'index.js';
        if (!isIndex) return true;
        // Others may only name the top-level index; composition roots may name a backend's index.
        return parts.length > 2 && !compositionRoots.has(e.fromTop);
      })
      .map((e) => `${e.from} → ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it('has no cycles between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of all) {
      if (!graph.has(e.fromTop)) graph.set(e.fromTop, new Set());
      graph.get(e.fromTop)?.add(e.toTop);
    }
    const cycles: string[] = [];
    const visit = (node: string, stack: string[]): void => {
      if (stack.includes(node)) {
        cycles.push([...stack.slice(stack.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...stack, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('has no cycles between files', () => {
    expect(fileCycles(fileGraph())).toEqual([]);
  });

  it('finds a cycle between files when there is one', () => {
    const graph = new Map([
      ['q/plugin.ts', ['q/routes.ts']],
      ['q/routes.ts', ['q/plugin.ts', 'q/types.ts']],
      ['q/types.ts', []],
    ]);
    expect(fileCycles(graph)).toEqual([['q/plugin.ts', 'q/routes.ts']]);
  });
});
