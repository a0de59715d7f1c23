export { planDeployment, describePlan } from './plan.js';
export type { Plan, GroupPlan, PlannedInstance, PlanInput } from './plan.js';
export { changesOf, actionFor, changePredicates } from './changes.js';
export type { ChangeKind, InstanceAction } from './changes.js';
export type { DesiredInstance } from './desired.js';
export { IpPool } from './network.js';
export { ensureVariables, interpolate } from './variables.js';
