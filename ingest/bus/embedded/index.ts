export { EmbeddedBus } from './embeddedBus.js';
export type { EmbeddedBusOptions } from './options.js';
