export type * from './store.js';
export * from './matchers.js';
export { anchoredPattern, regexSyntaxError } from './regex.js';
export { abortError, isTooManySamples, isTooManySeries, throwIfAborted, tooManySamples, tooManySeries, TOO_MANY_SAMPLES } from './readErrors.js';
