import { randomUUID } from 'node:crypto';
import type { AgentAddress, AgentClient, AgentState, AgentTransport, ApplySpec } from '../../agent/protocol.js';
import { fail, ok } from '../protocol.js';
import type { CpiError, CpiMethod, CpiProtocol, CpiResponse, CreateVmArgs } from '../protocol.js';
import { DummyAgent } from './dummyAgent.js';

export interface DummyVm {
  readonly cid: string;
  readonly agentId: string;
  readonly ip: string;
  readonly cloudProperties: Readonly<Record<string, unknown>>;
  metadata: Record<string, string>;
  readonly disks: Set<string>;
  readonly agent: DummyAgent;
  /** The credential create_vm handed this VM's agent: the agent answers no one without it. */
  readonly secret: string;
}

export interface CpiCall {
  readonly method: CpiMethod;
  readonly args: readonly unknown[];
  readonly error: string | null;
}

/**
 * A CPI with no infrastructure behind it, for driving the director in tests: VMs and disks are entries in
 * maps, every call is logged, and faults can be injected per method (an error for the next N calls, a delay,
 * failing jobs, a vanished VM, a silent agent). It is also its own agent transport, and its agents send
 * heartbeats to whatever sink the director registers.
 */
export class DummyCpi implements CpiProtocol, AgentTransport {
  readonly calls: CpiCall[] = [];
  readonly vms = new Map<string, DummyVm>();
  readonly disks = new Map<string, { sizeMb: number; vm: string | null }>();
  private readonly faults: { method: CpiMethod; error: CpiError; left: number }[] = [];
  private readonly delays = new Map<CpiMethod, number>();
  private jobFailure: ((spec: ApplySpec) => boolean) | null = null;
  private sink: ((agentId: string, state: AgentState) => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** The next `times` calls of `method` fail with `error`. */
  inject(method: CpiMethod, error: CpiError, times = 1): void {
    this.faults.push({ method, error, left: times });
  }

  /** Every call of `method` takes `ms` longer (to catch the director mid-task). */
  delay(method: CpiMethod, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Agents report their jobs failing when the applied spec matches. */
  failJobsWhen(pred: ((spec: ApplySpec) => boolean) | null): void {
    this.jobFailure = pred;
  }

  /** The VM disappears behind the director's back, as a crashed host would. */
  loseVm(cid: string): void {
    this.vms.delete(cid);
  }

  /** The VM stays but its agent stops answering. */
  silenceAgent(cid: string): void {
    const vm = this.vms.get(cid);
    if (vm !== undefined) vm.agent.responsive = false;
  }

  vmByIp(ip: string): DummyVm | undefined {
    return [...this.vms.values()].find((v) => v.ip === ip);
  }

  /** Starts sending every responsive agent's heartbeat to `sink` every `intervalMs`. */
  startHeartbeats(sink: (agentId: string, state: AgentState) => void, intervalMs = 200): void {
    this.sink = sink;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  stopHeartbeats(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.sink = null;
  }

  private beat(): void {
    for (const vm of this.vms.values()) if (vm.agent.responsive) this.sink?.(vm.agentId, vm.agent.state());
  }

  client(vm: AgentAddress & { readonly secret: string }): AgentClient {
    const find = (): DummyAgent => {
      const found = this.vms.get(vm.vmCid);
      if (found === undefined || !found.agent.responsive) throw new Error(`agent ${vm.agentId} is not responding`);
      // As the real agent does: a caller without this VM's credential is refused.
      if (found.secret !== vm.secret) throw new Error(`agent ${vm.agentId} refused the call: wrong credential (401)`);
      return found.agent;
    };
    return {
      getState: async () => find().state(),
      apply: async (spec) => {
        const agent = find();
        agent.apply(spec, this.jobFailure?.(spec) ?? false);
        return agent.state();
      },
    };
  }

  async call(method: CpiMethod, args: readonly unknown[]): Promise<CpiResponse> {
    const delay = this.delays.get(method);
    if (delay !== undefined) await new Promise((r) => setTimeout(r, delay).unref());
    const fault = this.faults.find((f) => f.method === method && f.left > 0);
    let res: CpiResponse;
    if (fault !== undefined) {
      fault.left--;
      res = { result: null, error: fault.error, log: 'injected fault' };
    } else res = this.handle(method, args);
    this.calls.push({ method, args, error: res.error === null ? null : res.error.type });
    return res;
  }

  private handle(method: CpiMethod, args: readonly unknown[]): CpiResponse {
    const s = (i: number): string => String(args[i]);
    switch (method) {
      case 'create_vm': {
        const a = args[0] as CreateVmArgs;
        const cid = `dummy-vm-${randomUUID().slice(0, 8)}`;
        const ip = Object.values(a.networks)[0]?.ip ?? '';
        this.vms.set(cid, { cid, agentId: a.agent_id, ip, cloudProperties: a.cloud_properties, metadata: {}, disks: new Set(a.disk_cids), agent: new DummyAgent(a.agent_id), secret: a.agent_secret });
        return ok(cid);
      }
      case 'delete_vm':
        this.vms.delete(s(0));
        for (const d of this.disks.values()) if (d.vm === s(0)) d.vm = null;
        return ok(null);
      case 'has_vm':
        return ok(this.vms.has(s(0)));
      case 'reboot_vm':
        return this.vms.has(s(0)) ? ok(null) : fail('Bosh::Clouds::VMNotFound', `vm ${s(0)} not found`);
      case 'set_vm_metadata': {
        const vm = this.vms.get(s(0));
        if (vm === undefined) return fail('VMNotFound', `vm ${s(0)} not found`);
        vm.metadata = { ...(args[1] as Record<string, string>) };
        return ok(null);
      }
      case 'create_disk': {
        const cid = `dummy-disk-${randomUUID().slice(0, 8)}`;
        this.disks.set(cid, { sizeMb: Number(args[0]), vm: null });
        return ok(cid);
      }
      case 'attach_disk': {
        const vm = this.vms.get(s(0));
        const disk = this.disks.get(s(1));
        if (vm === undefined) return fail('VMNotFound', `vm ${s(0)} not found`);
        if (disk === undefined) return fail('DiskNotFound', `disk ${s(1)} not found`);
        disk.vm = vm.cid;
        vm.disks.add(s(1));
        return ok(null);
      }
      case 'detach_disk': {
        const disk = this.disks.get(s(1));
        if (disk !== undefined) disk.vm = null;
        this.vms.get(s(0))?.disks.delete(s(1));
        return ok(null);
      }
      case 'delete_disk':
        this.disks.delete(s(0));
        return ok(null);
      case 'has_disk':
        return ok(this.disks.has(s(0)));
    }
  }
}
