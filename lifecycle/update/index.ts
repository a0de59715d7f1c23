export { updateGroup, updateGroups, UpdateFailed } from './executor.js';
export type { UpdateUnit } from './executor.js';
export { stepsForAction, stepsForCommand, createVmSteps } from './procedures.js';
export type { InstanceCommand } from './procedures.js';
export type { Step } from './steps.js';
export type { Ops, InstanceWork } from './context.js';
export { buildSpec, specHash } from './applySpec.js';
export { sleep } from './sleep.js';
export { stopJobs, deleteVm } from './steps.js';
