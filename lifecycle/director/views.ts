import type { AgentState, ProcessStatus } from '../agent/index.js';
import type { InstanceRecord } from './types.js';

/** An instance as `vigil instances --json` shows it. */
export interface InstanceView {
  readonly instance: string;
  readonly id: string;
  readonly process_state: string;
  readonly vm_cid: string | null;
  readonly agent_id: string | null;
  readonly ips: readonly string[];
  readonly az: string;
  readonly bootstrap: boolean;
  readonly disk_cid: string | null;
  readonly desired_state: 'started' | 'stopped';
  readonly last_heartbeat_ms_ago: number | null;
  readonly processes: readonly ProcessStatus[];
}

/** Joins the record with the agent's last heartbeat; no heartbeat within the timeout reads "unresponsive agent". */
export function instanceView(i: InstanceRecord, beat: { at: number; state: AgentState } | undefined, timeoutMs: number, now = Date.now()): InstanceView {
  const fresh = beat !== undefined && now - beat.at <= timeoutMs;
  const state = i.vmCid === null ? '-' : fresh ? beat.state.job_state : 'unresponsive agent';
  return {
    instance: `${i.group}/${i.index}`,
    id: i.id,
    process_state: state,
    vm_cid: i.vmCid,
    agent_id: i.agentId,
    ips: [i.ip],
    az: i.az,
    bootstrap: i.bootstrap,
    disk_cid: i.diskCid,
    desired_state: i.desiredState,
    last_heartbeat_ms_ago: beat === undefined ? null : now - beat.at,
    processes: fresh ? beat.state.processes : [],
  };
}
