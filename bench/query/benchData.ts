/*
 * Where a bench run's data lives and how Vigil's store over it is opened: shared by the bench
 * (run.ts) and its memory probe (rssProbe.ts), which must read the data exactly as the bench does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../core/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import type { Scale } from './data.js';

export const TENANT = 'default';
/** The query role's store settings (core/config.ts defaults), so the in-process engine reads as the server does. */
const STORE_MEMORY_LIMIT = '64MB';
const PARTITION_MS = 24 * 3600_000;
export const LOOKBACK_MS = 5 * 60_000;

export function openStore(dir: string): DuckDbStore {
  return new DuckDbStore({ path: join(dir, 'vigil.duckdb'), partitionMs: PARTITION_MS, memoryLimit: STORE_MEMORY_LIMIT, registry: new Registry(), logger: createLogger('silent') });
}

/** What the data dir was generated with: its scale and the end of its data. */
export interface Meta {
  readonly scale: Scale;
  readonly endMs: number;
}

export const metaPath = (dir: string): string => join(dir, 'meta.json');

export function readMeta(dir: string): Meta {
  return JSON.parse(readFileSync(metaPath(dir), 'utf8')) as Meta;
}
