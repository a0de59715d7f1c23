export type * from './store.js';
export * from './matchers.js';
