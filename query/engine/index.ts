export type { Engine, EngineOptions, QueryOptions } from './engine.js';
export { createEngine } from './engine.js';
export { compareLabels, sortByLabels } from './labelOrder.js';
export type { MatrixSeries, Point, Queryable, QueryableStore, QueryValue, VectorElement } from './types.js';
export { tenantQueryable } from './types.js';
