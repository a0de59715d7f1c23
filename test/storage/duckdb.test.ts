import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DuckDbStore } from '../../storage/duckdb/index.js';
import { describeStoreContract } from './storeContract.js';

describeStoreContract('DuckDbStore', (location, { partitionMs }) =>
  new DuckDbStore({ path: join(location, 'vigil.duckdb'), partitionMs, registry: new Registry(), logger: pino({ level: 'silent' }) }),
);
