export { Director } from './director.js';
export type { DirectorOptions } from './director.js';
export type { InstanceView } from './views.js';
export type { Problem, ProblemType } from './cloudCheck.js';
export { resolutionCatalogue } from './cloudCheck.js';
export type { TaskRecord, TaskEvent, TaskState, DeploymentRecord, ReleaseSummary, InstanceRecord } from './types.js';
export { anonymous, resurrectorActor } from './auditLog.js';
export type { Actor, AuditEntry, AuditInput, AuditResult } from './auditLog.js';
