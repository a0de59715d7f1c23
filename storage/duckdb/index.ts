export { DuckDbStore } from './duckDbStore.js';
export type { DuckDbStoreOptions } from './duckDbStore.js';
