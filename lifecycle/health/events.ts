/** What the health monitor says about one instance. */
export type InstanceProblem = 'vm_missing' | 'unresponsive' | 'jobs_failing';

export interface HealthEvent {
  readonly at: number;
  readonly kind: 'instance_unhealthy' | 'instance_recovered' | 'resurrection_requested' | 'meltdown' | 'resurrection_skipped';
  readonly deployment: string;
  readonly instance: string | null;
  readonly problem: InstanceProblem | null;
  readonly message: string;
}

/** One round's verdict on a deployment: which instances are unhealthy and why. */
export interface DeploymentHealth {
  readonly deployment: string;
  readonly total: number;
  readonly unhealthy: ReadonlyMap<string, InstanceProblem>;
}

/**
 * A health-monitor plugin (BOSH's HM plugins): `validate` checks its options at construction, `run` starts
 * whatever it needs, `process` receives every round's verdict and every event. `process` must not throw.
 */
export interface HealthPlugin {
  readonly name: string;
  run?(): void;
  processHealth?(health: DeploymentHealth): void;
  processEvent?(event: HealthEvent): void;
}
