/*
 * Exposition parser benchmark: npm run bench:exposition
 *
 * Parses a large text-format exposition (node_exporter's captured /metrics, its families renamed
 * per copy so that every family is new: ~100k lines, ~8 MB) and prints lines/s for:
 *   - Vigil's parser (ingest/exposition),
 *   - a regex-per-line parser, the obvious way to write one (the baseline it replaces),
 *   - Go: `promtool check metrics` (Prometheus 2.42's client_golang text parser plus its linter,
 *     process start-up subtracted), when /usr/bin/promtool is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExposition } from '../../ingest/index.js';

const COPIES = Number(process.env.COPIES ?? 100);
const source = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'ingest', 'exposition', 'data', 'node-exporter.prom'), 'utf8');

/** Every family renamed per copy: `# TYPE x …`, `# HELP x …` and sample lines start with the name. */
function copyOf(r: number): string {
  return source
    .split('\n')
    .map((l) => (l.startsWith('# HELP ') || l.startsWith('# TYPE ') ? `${l.slice(0, 7)}c${r}_${l.slice(7)}` : l === '' ? l : `c${r}_${l}`))
    .join('\n');
}
const text = Array.from({ length: COPIES }, (_, r) => copyOf(r)).join('');
const lines = text.split('\n').length;

/**
 * The regex-per-line parser (what test/collectors/nodeExporter.test.ts does for a few lines),
 * made to produce what Vigil's parser does: samples with labels, and HELP/TYPE metadata.
 */
function regexParse(input: string): number {
  const families = new Map<string, { help: string; type: string }>();
  let n = 0;
  for (const line of input.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
      if (meta === null) continue;
      const family = families.get(meta[2] as string) ?? { help: '', type: 'unknown' };
      if (meta[1] === 'HELP') family.help = (meta[3] ?? '').replace(/\\([\\n])/g, (_x, c: string) => (c === 'n' ? '\n' : c));
      else family.type = meta[3] ?? '';
      families.set(meta[2] as string, family);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (\S+))?$/.exec(line);
    if (m === null) throw new Error(`unreadable line ${line}`);
    const labels: Record<string, string> = { __name__: m[1] as string };
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    if (Number.isNaN(Number(m[3])) && m[3] !== 'NaN') throw new Error(`bad value ${m[3]}`);
    n++;
  }
  return n + families.size;
}

/**
 * Best of `rounds` runs of each parser after one warm-up, in lines per second. Runs alternate
 * between the parsers so that load from other processes on a shared machine hits both alike.
 */
function bestLinesPerSecond(rounds: number, parsers: readonly (() => unknown)[]): number[] {
  for (const fn of parsers) fn();
  const best = parsers.map(() => Infinity);
  for (let i = 0; i < rounds; i++) {
    parsers.forEach((fn, p) => {
      const start = performance.now();
      fn();
      best[p] = Math.min(best[p] as number, performance.now() - start);
    });
  }
  return best.map((ms) => lines / (ms / 1000));
}

function promtoolLinesPerSecond(): number | undefined {
  const bin = '/usr/bin/promtool';
  if (!existsSync(bin)) return undefined;
  const run = (input: string): number => {
    const start = performance.now();
    spawnSync(bin, ['check', 'metrics'], { input, stdio: ['pipe', 'ignore', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
    return performance.now() - start;
  };
  let empty = Infinity;
  let full = Infinity;
  for (let i = 0; i < 3; i++) {
    empty = Math.min(empty, run('up 1\n'));
    full = Math.min(full, run(text));
  }
  return lines / (Math.max(1, full - empty) / 1000);
}

const [vigil = 0, regex = 0] = bestLinesPerSecond(7, [() => parseExposition(text, 'prometheus'), () => regexParse(text)]);
const promtool = promtoolLinesPerSecond();
const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M lines/s`;
console.log(`input: ${COPIES} renamed copies of node_exporter's /metrics, ${lines} lines, ${(text.length / 1e6).toFixed(1)} MB`);
console.log(`vigil parser           ${fmt(vigil)}`);
console.log(`regex per line         ${fmt(regex)}   (vigil ${(vigil / regex).toFixed(2)}×)`);
if (promtool !== undefined) console.log(`promtool check metrics ${fmt(promtool)}   (vigil ${(vigil / promtool).toFixed(2)}×; Go parser + lint, start-up subtracted)`);
else console.log('promtool check metrics: /usr/bin/promtool not installed, skipped');
