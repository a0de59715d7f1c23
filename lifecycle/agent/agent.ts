import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/index.js';
import type { AgentSettings } from '../cpi/process/processCpi.js';
import { installJob, installPackage, linkStore } from './layout.js';
import type { AgentState, ApplySpec } from './protocol.js';
import { SupervisedProcess } from './supervisor.js';

/**
 * The lifecycle agent on one VM: turns an apply spec into files and supervised processes, and reports
 * their state. Applies are serialised; re-applying the current spec only (re)starts what is stopped.
 */
export class Agent {
  private spec: ApplySpec | null = null;
  private processes: SupervisedProcess[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly settingsFile: string,
    private readonly logger: Logger,
  ) {}

  settings(): AgentSettings {
    return JSON.parse(readFileSync(this.settingsFile, 'utf8')) as AgentSettings;
  }

  private get vmDir(): string {
    return this.settings().vm_dir;
  }

  private get specFile(): string {
    return join(this.vmDir, 'apply_spec.json');
  }

  /** After a reboot, runs whatever was applied last. */
  async resume(): Promise<void> {
    if (!existsSync(this.specFile)) return;
    const spec = JSON.parse(readFileSync(this.specFile, 'utf8')) as ApplySpec;
    await this.apply(spec);
  }

  apply(spec: ApplySpec): Promise<AgentState> {
    const run = this.chain.then(() => this.applyNow(spec));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyNow(spec: ApplySpec): Promise<AgentState> {
    if (this.stopped) throw new Error('agent is shutting down');
    const same = this.spec !== null && this.spec.hash === spec.hash;
    if (same && spec.state === this.spec?.state) return this.state();
    await Promise.all(this.processes.map((p) => p.stop()));
    this.processes = [];
    this.spec = spec;
    writeFileSync(this.specFile, JSON.stringify(spec));
    const settings = this.settings();
    const vmDir = settings.vm_dir;
    const diskDir = spec.persistent_disk_cid === null ? null : (settings.disks[spec.persistent_disk_cid] ?? null);
    if (spec.persistent_disk_cid !== null && diskDir === null) throw new Error(`persistent disk ${spec.persistent_disk_cid} is not attached to this VM`);
    const store = linkStore(vmDir, diskDir);
    const packagesDir = join(vmDir, 'packages');
    if (!same) for (const pkg of spec.packages) installPackage(packagesDir, pkg);
    const pathPrefix = spec.packages.map((p) => join(packagesDir, p.name, 'bin')).join(':');
    for (const job of spec.jobs) {
      const jobDir = same ? join(vmDir, 'jobs', job.name) : installJob(join(vmDir, 'jobs'), job);
      const logDir = join(vmDir, 'logs', job.name);
      const storeDir = join(store, job.name);
      mkdirSync(logDir, { recursive: true });
      mkdirSync(storeDir, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${pathPrefix}:${process.env['PATH'] ?? ''}`,
        VIGIL_JOB_DIR: jobDir,
        VIGIL_STORE_DIR: storeDir,
        VIGIL_LOG_DIR: logDir,
        VIGIL_PACKAGES_DIR: packagesDir,
        VIGIL_IP: spec.address,
        VIGIL_INSTANCE: `${spec.instance.group}/${spec.instance.index}`,
      };
      for (const p of job.processes) {
        const executable = p.executable.startsWith('/') ? p.executable : join(jobDir, p.executable);
        this.processes.push(
          new SupervisedProcess({
            job: job.name,
            name: p.name,
            executable,
            args: p.args,
            cwd: jobDir,
            env,
            stdoutFile: join(logDir, `${p.name}.stdout.log`),
            stderrFile: join(logDir, `${p.name}.stderr.log`),
          }),
        );
      }
    }
    if (spec.state === 'started') this.processes.forEach((p) => p.start());
    this.logger.info({ hash: spec.hash, state: spec.state, processes: this.processes.length }, 'applied spec');
    return this.state();
  }

  /** Who this VM is in its deployment, for telemetry labels; empty before the first apply. */
  labels(): Record<string, string> {
    const s = this.spec;
    return s === null ? {} : { deployment: s.deployment, instance: `${s.instance.group}/${s.instance.index}` };
  }

  state(): AgentState {
    const processes = this.processes.map((p) => p.status());
    let jobState: AgentState['job_state'];
    if (this.spec === null || this.spec.state === 'stopped') jobState = 'stopped';
    else if (processes.some((p) => p.state !== 'running' || p.restarts > 0)) jobState = 'failing';
    else jobState = 'running';
    return { agent_id: this.settings().agent_id, job_state: jobState, processes, spec_hash: this.spec?.hash ?? null };
  }

  /** Stops every job process. Idempotent. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.processes.map((p) => p.stop()));
  }
}
