import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CostProfile } from './scorer.js';

/** A NAB data directory: data/<category>/<file>.csv, labels/combined_windows.json, config/profiles.json. */
export interface CorpusFile {
  /** "<category>/<file>.csv", the key used by the labels file. */
  name: string;
  timestamps: number[];
  values: number[];
  windows: [number, number][];
}

/** NAB timestamps are UTC without a zone, sometimes with microseconds: "2014-04-10 07:15:00.000000". */
export function parseNabTimestamp(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (m === null) throw new Error(`bad timestamp: ${text}`);
  const ms = m[3] === undefined ? 0 : Number(`0.${m[3]}`) * 1000;
  return Date.parse(`${m[1]}T${m[2]}Z`) + Math.round(ms);
}

export function parseSeriesCsv(text: string): { timestamps: number[]; values: number[] } {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const ti = header.indexOf('timestamp');
  const vi = header.indexOf('value');
  if (ti < 0 || vi < 0) throw new Error('CSV needs timestamp and value columns');
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cols = line.split(',');
    timestamps.push(parseNabTimestamp(cols[ti] ?? ''));
    values.push(Number(cols[vi]));
  }
  return { timestamps, values };
}

export function loadProfiles(dir: string): Record<string, CostProfile> {
  const raw = JSON.parse(readFileSync(join(dir, 'config', 'profiles.json'), 'utf8')) as Record<
    string,
    { CostMatrix: CostProfile }
  >;
  const out: Record<string, CostProfile> = {};
  for (const [name, p] of Object.entries(raw)) {
    const { tpWeight, fpWeight, fnWeight } = p.CostMatrix;
    out[name] = { tpWeight, fpWeight, fnWeight };
  }
  return out;
}

/** Every data/<category>/<file>.csv, sorted by name, with its windows (none if unlabelled). */
export function loadCorpus(dir: string): CorpusFile[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const out: CorpusFile[] = [];
  for (const category of readdirSync(join(dir, 'data')).sort()) {
    for (const file of readdirSync(join(dir, 'data', category)).sort()) {
      if (!file.endsWith('.csv')) continue;
      const name = `${category}/${file}`;
      const { timestamps, values } = parseSeriesCsv(readFileSync(join(dir, 'data', category, file), 'utf8'));
      const windows = (labels[name] ?? []).map(([a, b]) => [parseNabTimestamp(a), parseNabTimestamp(b)] as [number, number]);
      out.push({ name, timestamps, values, windows });
    }
  }
  return out;
}
