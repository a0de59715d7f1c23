export { HealthMonitor } from './monitor.js';
export type { MonitorSource, MonitoredInstance, MonitorOptions } from './monitor.js';
export { ResurrectorPlugin } from './resurrector.js';
export type { ResurrectorOptions } from './resurrector.js';
export { EventLogPlugin } from './eventLog.js';
export { inMeltdown } from './meltdown.js';
export type { HealthEvent, HealthPlugin, DeploymentHealth, InstanceProblem } from './events.js';
