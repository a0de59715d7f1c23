import type { TaskEvent } from '../director/index.js';

/** Left-aligned columns, like bosh's tables. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

function clock(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19);
}

/** One event as a log line: "12:00:03 | Updating instance: etcd/0 (canary) (1/3) finished". */
export function eventLine(e: TaskEvent): string {
  if (e.state === 'info') return `${clock(e.ts)} | ${e.stage}: ${e.message ?? ''}`;
  const pos = e.total > 1 ? ` (${e.index}/${e.total})` : '';
  return `${clock(e.ts)} | ${e.stage}: ${e.task}${pos} ${e.state}${e.message !== null ? `: ${e.message}` : ''}`;
}
