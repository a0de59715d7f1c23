export { AlertTemplate } from './alertTemplate.js';
export type { AlertTemplateData, TemplateQuery } from './alertTemplate.js';
export type { QuerySample } from './templateFuncs.js';
export { formatGoG, goSprintf } from './goFormat.js';
