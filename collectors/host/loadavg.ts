/** /proc/loadavg: the 1, 5 and 15 minute load averages. Pure; undefined when the text is not loadavg. */
export interface LoadAverage {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
}

export function parseLoadavg(text: string): LoadAverage | undefined {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (a === undefined || b === undefined || c === undefined || [a, b, c].some(Number.isNaN)) return undefined;
  return { load1: a, load5: b, load15: c };
}
