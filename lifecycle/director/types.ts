import type { ApplySpec } from '../agent/index.js';

/** The director's record of one instance: identity, placement, its VM and disk, and what it last applied. */
export interface InstanceRecord {
  readonly deployment: string;
  readonly group: string;
  readonly index: number;
  readonly id: string;
  readonly az: string;
  readonly ip: string;
  readonly vmCid: string | null;
  readonly agentId: string | null;
  /** When the current VM was created: the health monitor's grace period starts here. */
  readonly vmCreatedAt: number | null;
  readonly diskCid: string | null;
  readonly diskSizeMb: number;
  /** What the operator wants: 'stopped' after `vigil stop`, else 'started'. */
  readonly desiredState: 'started' | 'stopped';
  readonly vmType: string | null;
  readonly networks: readonly string[];
  readonly bootstrap: boolean;
  /** The last spec the agent applied successfully; a resurrected VM gets exactly this. */
  readonly applied: ApplySpec | null;
  /** Whether `applied` was seen running after it was applied (a watch passed); false after a failed or interrupted update. */
  readonly appliedOk: boolean;
  /** Set by cck's 'ignore': the health monitor leaves the instance alone. */
  readonly ignored: boolean;
}

export type TaskState = 'queued' | 'processing' | 'done' | 'error' | 'cancelled';

export interface TaskRecord {
  readonly id: number;
  readonly kind: string;
  readonly deployment: string | null;
  readonly description: string;
  readonly state: TaskState;
  readonly args: unknown;
  readonly result: unknown;
  readonly error: string | null;
  readonly resumes: number;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

/** One line of a task's event log, in the order written. */
export interface TaskEvent {
  readonly seq: number;
  readonly ts: number;
  readonly stage: string;
  readonly task: string;
  readonly index: number;
  readonly total: number;
  readonly state: 'started' | 'finished' | 'failed' | 'info';
  readonly tags: readonly string[];
  readonly message: string | null;
}

export interface DeploymentRecord {
  readonly name: string;
  readonly manifest: string;
  readonly releases: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ReleaseSummary {
  readonly name: string;
  readonly version: string;
  readonly jobs: readonly string[];
  readonly packages: readonly string[];
  readonly uploadedAt: number;
  readonly inUseBy: readonly string[];
}
