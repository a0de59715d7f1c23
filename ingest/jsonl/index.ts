export { jsonLinesRoutes } from './jsonLinesRoutes.js';
export type { JsonLinesOptions } from './jsonLinesRoutes.js';
export { eventFromJson } from './kubernetesEvent.js';
export { jsonLineToLogRecord, DEFAULT_JSON_LINE_FIELDS } from './jsonLineToLogRecord.js';
