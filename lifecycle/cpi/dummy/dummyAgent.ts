import type { AgentState, ApplySpec, ProcessStatus } from '../../agent/protocol.js';

/**
 * An in-memory agent for the dummy CPI: applies specs instantly and reports every process running,
 * unless the CPI's fault injection says this spec's jobs fail.
 */
export class DummyAgent {
  spec: ApplySpec | null = null;
  failing = false;
  /** An unresponsive agent neither answers nor sends heartbeats. */
  responsive = true;
  applies = 0;

  constructor(readonly agentId: string) {}

  apply(spec: ApplySpec, fails: boolean): void {
    this.spec = spec;
    this.failing = fails && spec.state === 'started';
    this.applies++;
  }

  state(): AgentState {
    const spec = this.spec;
    const processes: ProcessStatus[] = [];
    for (const job of spec?.jobs ?? []) {
      for (const p of job.processes) {
        const running = spec?.state === 'started';
        processes.push({
          job: job.name,
          name: p.name,
          state: !running ? 'stopped' : this.failing ? 'failing' : 'running',
          restarts: this.failing ? 3 : 0,
          uptime_ms: running && !this.failing ? 1000 : 0,
          pid: null,
        });
      }
    }
    const jobState = spec === null || spec.state === 'stopped' ? 'stopped' : this.failing ? 'failing' : 'running';
    return { agent_id: this.agentId, job_state: jobState, processes, spec_hash: spec?.hash ?? null };
  }
}
