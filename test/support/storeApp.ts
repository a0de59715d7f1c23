import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { LogRecord } from '../../core/index.js';
import { createLogger } from '../../core/index.js';
import type { Appender } from '../../storage/index.js';
import { DuckDbStore } from '../../storage/duckdb/index.js';

/** An in-memory DuckDB store holding the test's data, and a Fastify app serving an API over it. */
export interface StoreApp {
  readonly store: DuckDbStore;
  readonly app: FastifyInstance;
  /** Closes the app, then the store. */
  close(): Promise<void>;
}

export interface StoreAppOptions {
  /** Width of one time partition (the store's default when absent). */
  readonly partitionMs?: number;
  /** Appends the test's data; committed before the app starts. */
  readonly fill: (appender: Appender) => void;
  /** Registers the API under test on the app. */
  readonly register: (app: FastifyInstance, store: DuckDbStore) => PromiseLike<unknown>;
}

export async function openStoreApp(options: StoreAppOptions): Promise<StoreApp> {
  const store = new DuckDbStore({
    path: ':memory:',
    registry: new Registry(),
    logger: createLogger('silent'),
    ...(options.partitionMs === undefined ? {} : { partitionMs: options.partitionMs }),
  });
  await store.open();
  const appender = store.appender();
  options.fill(appender);
  await appender.commit();
  const app = Fastify();
  await options.register(app, store);
  return {
    store,
    app,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** A log line `s` seconds after `t0Ms`, with no attributes. */
export function logLine(t0Ms: number, s: number, stream: Record<string, string>, body: string): LogRecord {
  const timeNs = BigInt(t0Ms + s * 1000) * 1_000_000n;
  return { timeNs, observedTimeNs: timeNs, severityNumber: 0, severityText: '', body, stream, attributes: {}, resource: {}, traceId: '', spanId: '' };
}
