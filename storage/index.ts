export type * from './store.js';
export * from './matchers.js';
export { anchoredPattern, regexSyntaxError } from './regex.js';
