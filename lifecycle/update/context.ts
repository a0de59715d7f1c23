import type { Logger } from '../../core/index.js';
import type { AgentClient, AgentDirectory, ApplySpec } from '../agent/index.js';
import type { CheckedCpi } from '../cpi/index.js';
import type { DirectorStore } from '../director/store.js';
import type { InstanceRecord } from '../director/types.js';
import type { WatchTime } from '../manifest/index.js';
import type { DesiredInstance } from '../planner/index.js';

/** What every step may use. */
export interface Ops {
  readonly store: DirectorStore;
  readonly cpi: CheckedCpi;
  /** Agents, with each one's credential bound by the director. */
  readonly agents: AgentDirectory;
  /** Mints a new VM's agent credential (kept as a hash by the director), handed to the CPI. */
  readonly credentials: { issue(agentId: string): string };
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** How long a new VM's agent may take to answer. */
  readonly agentTimeoutMs: number;
  /** Extra agent settings passed to create_vm (e.g. the platform URL for log shipping). */
  readonly vmEnv: Readonly<Record<string, unknown>>;
}

/** The instance a procedure works on: re-read from the store before each step, so steps compose. */
export interface InstanceWork {
  readonly deployment: string;
  readonly group: string;
  readonly index: number;
  /** Set when the manifest drives the update; absent for resurrection, which re-applies `applied`. */
  readonly desired: DesiredInstance | null;
  readonly watch: WatchTime;
  /** Why this happens, for the task log (resurrection, healing request, operator command). */
  readonly reason: string | null;
}

export function current(ops: Ops, w: InstanceWork): InstanceRecord {
  const r = ops.store.instance(w.deployment, w.group, w.index);
  if (r === null) throw new Error(`instance ${w.group}/${w.index} vanished from the director's records`);
  return r;
}

export function agentOf(ops: Ops, r: InstanceRecord): AgentClient | null {
  if (r.vmCid === null || r.agentId === null) return null;
  return ops.agents.client({ agentId: r.agentId, ip: r.ip, vmCid: r.vmCid });
}

export type { ApplySpec };
