import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail, ok } from '../protocol.js';
import type { CpiMethod, CpiProtocol, CpiResponse, CreateVmArgs } from '../protocol.js';
import { isAlive, killGroup } from './processTree.js';

/** What an agent reads at boot (BOSH's agent settings): who it is, where it lives, what disks it has. */
export interface AgentSettings {
  readonly agent_id: string;
  readonly vm_cid: string;
  readonly ip: string;
  readonly agent_port: number;
  readonly director_url: string;
  readonly vm_dir: string;
  /** Attached persistent disks: disk cid → directory. */
  readonly disks: Record<string, string>;
  readonly env: Readonly<Record<string, unknown>>;
  /**
   * The agent's credential: demanded from every caller of its HTTP server, presented with its heartbeats
   * and log shipping. Absent only in settings written before agents were authenticated: such an agent
   * refuses to start (recreate the VM).
   */
  readonly agent_secret?: string;
}

export interface ProcessCpiOptions {
  /** Where VM and disk directories live. */
  readonly root: string;
  /** Command that starts an agent; `--settings FILE` is appended. */
  readonly agentCommand: readonly string[];
  readonly agentPort: number;
  /** The director's base URL for heartbeats, read at each create_vm (the port may be known late). */
  readonly directorUrl: () => string;
  /** Added to agents' environment, e.g. NODE_EXTRA_CA_CERTS when the director speaks TLS. */
  readonly agentEnv?: Readonly<Record<string, string>>;
}

/** The director's environment minus its own credentials: agents and their jobs must not inherit them. */
function agentBaseEnv(): NodeJS.ProcessEnv {
  const { VIGIL_TOKEN: _token, ...env } = process.env;
  return env;
}

/**
 * The first real CPI: a VM is a process tree on this host. create_vm writes agent settings into a fresh
 * directory and starts the agent in its own session and process group; the agent starts the jobs as its
 * children, so deleting a VM is killing its group. Each VM listens on its own loopback IP. Persistent
 * disks are directories outside the VM directories, so they survive VM recreation.
 */
export class ProcessCpi implements CpiProtocol {
  private readonly opts: ProcessCpiOptions;

  constructor(opts: ProcessCpiOptions) {
    // Absolute: agents run with their VM directory as working directory, and the paths handed to them
    // (settings, disks) must not depend on where the director was started (`--data-dir ./data`).
    this.opts = { ...opts, root: resolve(opts.root) };
    mkdirSync(join(opts.root, 'vms'), { recursive: true });
    mkdirSync(join(opts.root, 'disks'), { recursive: true });
  }

  vmDir(cid: string): string {
    return join(this.opts.root, 'vms', cid);
  }

  diskDir(cid: string): string {
    return join(this.opts.root, 'disks', cid);
  }

  /** The process group of a VM, or null when it has none. Tests use it to kill -9 a VM. */
  pidOf(cid: string): number | null {
    const file = join(this.vmDir(cid), 'agent.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  private settingsPath(cid: string): string {
    return join(this.vmDir(cid), 'settings.json');
  }

  private readSettings(cid: string): AgentSettings {
    return JSON.parse(readFileSync(this.settingsPath(cid), 'utf8')) as AgentSettings;
  }

  /** Settings hold the agent's secret: readable by this user only (mode also fixed on files written before). */
  private writeSettings(s: AgentSettings): void {
    const file = this.settingsPath(s.vm_cid);
    writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  private startAgent(cid: string): number {
    const dir = this.vmDir(cid);
    const log = openSync(join(dir, 'agent.log'), 'a');
    const [cmd, ...args] = this.opts.agentCommand;
    if (cmd === undefined) throw new Error('no agent command configured');
    const child = spawn(cmd, [...args, '--settings', this.settingsPath(cid)], {
      cwd: dir,
      detached: true, // own session and process group: the VM boundary
      stdio: ['ignore', log, log],
      env: { ...agentBaseEnv(), ...this.opts.agentEnv, VIGIL_VM_CID: cid },
    });
    closeSync(log);
    child.unref();
    if (child.pid === undefined) throw new Error('agent did not start');
    writeFileSync(join(dir, 'agent.pid'), String(child.pid));
    return child.pid;
  }

  private alive(cid: string): boolean {
    const pid = this.pidOf(cid);
    return pid !== null && isAlive(pid, this.settingsPath(cid));
  }

  async call(method: CpiMethod, args: readonly unknown[]): Promise<CpiResponse> {
    try {
      return await this.handle(method, args);
    } catch (err) {
      return fail('Vigil::ProcessCpi::Error', (err as Error).message, false);
    }
  }

  private async handle(method: CpiMethod, args: readonly unknown[]): Promise<CpiResponse> {
    const s = (i: number): string => String(args[i]);
    switch (method) {
      case 'create_vm': {
        const a = args[0] as CreateVmArgs;
        const ip = Object.values(a.networks)[0]?.ip;
        if (ip === undefined) return fail('Vigil::ProcessCpi::NetworkError', 'create_vm needs one network with an ip');
        // An agent without a credential would serve anyone who reaches its port: never start one.
        if (typeof a.agent_secret !== 'string' || a.agent_secret.length < 32) return fail('Vigil::ProcessCpi::Error', 'create_vm needs agent_secret (at least 32 characters)');
        const cid = `vm-${randomUUID()}`;
        mkdirSync(this.vmDir(cid), { recursive: true, mode: 0o700 });
        const disks: Record<string, string> = {};
        for (const d of a.disk_cids) disks[d] = this.diskDir(d);
        this.writeSettings({ agent_id: a.agent_id, vm_cid: cid, ip, agent_port: this.opts.agentPort, director_url: this.opts.directorUrl(), vm_dir: this.vmDir(cid), disks, env: a.env, agent_secret: a.agent_secret });
        this.startAgent(cid);
        return ok(cid);
      }
      case 'delete_vm': {
        const pid = this.pidOf(s(0));
        if (pid !== null) await killGroup(pid);
        rmSync(this.vmDir(s(0)), { recursive: true, force: true });
        return ok(null);
      }
      case 'has_vm':
        return ok(existsSync(this.vmDir(s(0))) && this.alive(s(0)));
      case 'reboot_vm': {
        if (!existsSync(this.vmDir(s(0)))) return fail('Bosh::Clouds::VMNotFound', `vm ${s(0)} not found`);
        const pid = this.pidOf(s(0));
        if (pid !== null) await killGroup(pid);
        this.startAgent(s(0));
        return ok(null);
      }
      case 'set_vm_metadata':
        if (!existsSync(this.vmDir(s(0)))) return fail('Bosh::Clouds::VMNotFound', `vm ${s(0)} not found`);
        writeFileSync(join(this.vmDir(s(0)), 'metadata.json'), JSON.stringify(args[1]));
        return ok(null);
      case 'create_disk': {
        const cid = `disk-${randomUUID()}`;
        mkdirSync(this.diskDir(cid), { recursive: true });
        writeFileSync(join(this.diskDir(cid), '.size_mb'), String(args[0]));
        return ok(cid);
      }
      case 'attach_disk': {
        if (!existsSync(this.diskDir(s(1)))) return fail('Bosh::Clouds::DiskNotFound', `disk ${s(1)} not found`);
        if (!existsSync(this.settingsPath(s(0)))) return fail('Bosh::Clouds::VMNotFound', `vm ${s(0)} not found`);
        const st = this.readSettings(s(0));
        this.writeSettings({ ...st, disks: { ...st.disks, [s(1)]: this.diskDir(s(1)) } });
        return ok(null);
      }
      case 'detach_disk': {
        if (existsSync(this.settingsPath(s(0)))) {
          const st = this.readSettings(s(0));
          const disks = { ...st.disks };
          delete disks[s(1)];
          this.writeSettings({ ...st, disks });
        }
        return ok(null);
      }
      case 'delete_disk':
        rmSync(this.diskDir(s(0)), { recursive: true, force: true });
        return ok(null);
      case 'has_disk':
        return ok(existsSync(this.diskDir(s(0))));
    }
  }
}
