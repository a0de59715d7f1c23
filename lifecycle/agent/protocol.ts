import type { RenderedJob } from '../release/index.js';

/** A package as the agent receives it: host binaries to find on PATH, or shipped files (base64). */
export interface ApplyPackage {
  readonly name: string;
  readonly host_binaries: readonly string[];
  readonly files: Readonly<Record<string, string>>;
  readonly fingerprint: string;
}

/** What the director tells an agent to be. Applying the same spec twice is a no-op. */
export interface ApplySpec {
  readonly deployment: string;
  readonly instance: { readonly group: string; readonly index: number; readonly id: string; readonly az: string };
  readonly address: string;
  /** 'started': run every process; 'stopped': stop them all, keep the files. */
  readonly state: 'started' | 'stopped';
  readonly jobs: readonly RenderedJob[];
  readonly packages: readonly ApplyPackage[];
  readonly persistent_disk_cid: string | null;
  /** Identifies jobs+packages+disk; the agent compares it to decide whether to restart. */
  readonly hash: string;
}

export type ProcessState = 'running' | 'starting' | 'failing' | 'stopped';

export interface ProcessStatus {
  readonly job: string;
  readonly name: string;
  readonly state: ProcessState;
  /** Restarts since the last apply: a canary that crashed once is not healthy. */
  readonly restarts: number;
  readonly uptime_ms: number;
  readonly pid: number | null;
}

/** An agent's report, both as a heartbeat and as the answer to get_state. */
export interface AgentState {
  readonly agent_id: string;
  /** 'running' when every process runs and none restarted since the last apply. */
  readonly job_state: 'running' | 'failing' | 'stopped' | 'starting';
  readonly processes: readonly ProcessStatus[];
  readonly spec_hash: string | null;
}

/** How the director talks to one agent. Calls reject when the agent cannot be reached. */
export interface AgentClient {
  getState(timeoutMs?: number): Promise<AgentState>;
  apply(spec: ApplySpec): Promise<AgentState>;
}

/** Where an instance's agent lives, as the director records it. */
export interface AgentAddress {
  readonly agentId: string;
  readonly ip: string;
  readonly vmCid: string;
}

/**
 * Finds the agent of a VM. Implementations: HTTP to the VM's IP (process CPI), in-memory (dummy CPI).
 * `secret` is the per-VM credential the director handed the CPI at create_vm: the agent refuses callers
 * without it.
 */
export interface AgentTransport {
  client(vm: AgentAddress & { readonly secret: string }): AgentClient;
}

/** The director's own view: a transport with each agent's credential already bound. */
export interface AgentDirectory {
  client(vm: AgentAddress): AgentClient;
}
