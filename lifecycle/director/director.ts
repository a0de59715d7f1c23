import { join } from 'node:path';
import type { SyncCredentialVerifier, Logger } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import type { AgentState, AgentTransport } from '../agent/index.js';
import { CheckedCpi } from '../cpi/index.js';
import type { CpiProtocol } from '../cpi/index.js';
import { EventLogPlugin, HealthMonitor, ResurrectorPlugin } from '../health/index.js';
import type { HealthEvent } from '../health/index.js';
import { parseManifest } from '../manifest/index.js';
import { IpPool, ensureVariables, planDeployment } from '../planner/index.js';
import type { Release } from '../release/index.js';
import type { InstanceCommand } from '../update/index.js';
import { AgentCredentials } from './agentCredentials.js';
import { resurrectorActor } from './auditLog.js';
import type { AuditEntry, AuditInput } from './auditLog.js';
import { scanProblems } from './cloudCheck.js';
import type { Problem } from './cloudCheck.js';
import type { DirectorDeps } from './deps.js';
import { cckJob } from './jobs/cck.js';
import { deleteDeploymentJob } from './jobs/deleteDeployment.js';
import { deployJob, resolveReleases } from './jobs/deploy.js';
import { instanceCommandJob, selectInstances } from './jobs/instances.js';
import { resurrectJob } from './jobs/resurrect.js';
import { DirectorStore } from './store.js';
import { TaskQueue } from './taskQueue.js';
import type { TaskHandler } from './taskQueue.js';
import type { DeploymentRecord, ReleaseSummary, TaskEvent, TaskRecord } from './types.js';
import { instanceView } from './views.js';
import type { InstanceView } from './views.js';

export interface DirectorOptions {
  /** The platform's data directory; the director keeps its database in DATA_DIR/director/. */
  readonly dataDir: string;
  readonly cpi: CpiProtocol;
  readonly agents: AgentTransport;
  readonly logger: Logger;
  /** Loopback /24 VMs take their IPs from. */
  readonly network: string;
  readonly resurrection: boolean;
  readonly meltdown: number | string;
  readonly heartbeatTimeoutMs: number;
  readonly healthIntervalMs?: number;
  readonly agentTimeoutMs?: number;
  /** Handed to every new VM's agent (e.g. {platform_url} for log shipping). */
  readonly vmEnv?: Readonly<Record<string, unknown>>;
  /** The tenant agents' log shipping is bound to (the platform's default tenant); default 'default'. */
  readonly agentTenant?: string;
}

/**
 * The director: releases, deployments and their instances, a task queue with one lock per deployment, and
 * a health monitor whose resurrector heals what it provisioned. Every state-changing call returns a task id;
 * the task's event log tells the story.
 */
export class Director {
  readonly store: DirectorStore;
  private readonly credentials: AgentCredentials;
  private readonly deps: DirectorDeps;
  private readonly queue: TaskQueue;
  private readonly monitor: HealthMonitor;
  private readonly eventLog: EventLogPlugin;
  private readonly heartbeats = new Map<string, { at: number; state: AgentState }>();
  private resurrection: boolean;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private stopping: Promise<void> | null = null;

  constructor(private readonly opts: DirectorOptions) {
    this.store = new DirectorStore(join(opts.dataDir, 'director'));
    this.credentials = new AgentCredentials(join(opts.dataDir, 'director'), this.store);
    this.resurrection = opts.resurrection;
    const credentials = this.credentials;
    this.deps = {
      store: this.store,
      cpi: new CheckedCpi(opts.cpi),
      // Every call to an agent carries its credential; the agent refuses anything else.
      agents: { client: (vm) => opts.agents.client({ ...vm, secret: credentials.secretFor(vm.agentId) }) },
      credentials,
      logger: opts.logger,
      network: opts.network,
      agentTimeoutMs: opts.agentTimeoutMs ?? 60_000,
      vmEnv: opts.vmEnv ?? {},
    };
    const handlers = new Map<string, TaskHandler>([
      ['deploy', deployJob(this.deps)],
      ['instance_command', instanceCommandJob(this.deps)],
      ['delete_deployment', deleteDeploymentJob(this.deps)],
      ['resurrect', resurrectJob(this.deps)],
      ['cck', cckJob(this.deps)],
    ]);
    this.queue = new TaskQueue(this.store, handlers, opts.logger);
    this.eventLog = new EventLogPlugin(opts.logger);
    const resurrector = new ResurrectorPlugin({
      enabled: () => this.resurrection,
      meltdown: opts.meltdown,
      busy: (d) => this.queue.busy(d),
      resurrect: (d, instances, reason) => {
        const taskId = this.queue.enqueue('resurrect', d, `resurrect ${instances.join(', ')}`, { deployment: d, instances, reason });
        this.audit({ actor: resurrectorActor, action: 'resurrect', target: `deployment ${d} ${instances.join(', ')}`, result: 'accepted', taskId, detail: reason });
        return taskId;
      },
      emit: (e) => this.monitor.emit(e),
    });
    this.monitor = new HealthMonitor({
      intervalMs: opts.healthIntervalMs ?? 1000,
      heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
      logger: opts.logger,
      plugins: [this.eventLog, resurrector],
      source: {
        deployments: () => this.store.listDeployments().map((d) => d.name),
        instances: (d) =>
          this.store.instances(d).map((i) => ({
            name: `${i.group}/${i.index}`,
            vmCid: i.vmCid,
            agentId: i.agentId,
            vmCreatedAt: i.vmCreatedAt,
            ignored: i.ignored,
            desiredState: i.desiredState,
            deployed: i.applied !== null,
          })),
        hasVm: (cid) => this.deps.cpi.hasVm(cid),
        lastHeartbeat: (agentId) => this.heartbeats.get(agentId),
      },
    });
  }

  /** Settles tasks a previous director left running, then starts the queue and the health monitor. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.queue.start();
    this.monitor.start();
  }

  /** Stops the monitor and the queue; running tasks are interrupted and stay resumable. Idempotent. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = 'stopped';
      await this.monitor.shutdown();
      await this.queue.shutdown();
      this.store.close();
    })();
    return this.stopping;
  }

  setResurrection(on: boolean): void {
    this.resurrection = on;
  }

  /** One health round now (tests). */
  checkHealth(): Promise<void> {
    return this.monitor.check();
  }

  // Releases

  uploadRelease(release: Release): ReleaseSummary {
    this.store.putRelease(release);
    const s = this.store.listReleases().find((r) => r.name === release.name && r.version === release.version);
    if (s === undefined) throw new VigilError('internal', 'release vanished after upload');
    return s;
  }

  releases(): ReleaseSummary[] {
    return this.store.listReleases();
  }

  // Deployments

  /** Checks the manifest and its releases now (a bad one is a 400, not a failed task), then queues the deploy. */
  deploy(manifestText: string, opts: { dryRun?: boolean; expectName?: string } = {}): number {
    const manifest = parseManifest(manifestText);
    if (opts.expectName !== undefined && opts.expectName !== manifest.name)
      throw new VigilError('bad_data', `the manifest deploys "${manifest.name}", not "${opts.expectName}" (-d must match the manifest's name)`);
    // Plan once now, in memory, so property, link and template errors come back at once instead of as a failed task.
    const releases = resolveReleases(this.store, manifest);
    const vars = ensureVariables(manifest.variables, this.store.variables(manifest.name));
    planDeployment({ manifest, releases, actual: this.store.instances(manifest.name), variables: vars.values, ips: new IpPool(this.opts.network, this.store.usedIps()) });
    const dry = opts.dryRun === true;
    return this.queue.enqueue('deploy', manifest.name, `${dry ? 'dry-run ' : ''}deploy ${manifest.name}`, { manifest: manifestText, dryRun: dry });
  }

  deployments(): (DeploymentRecord & { instances: number })[] {
    return this.store.listDeployments().map((d) => ({ ...d, instances: this.store.instances(d.name).length }));
  }

  deployment(name: string): DeploymentRecord {
    const d = this.store.getDeployment(name);
    if (d === null) throw new VigilError('not_found', `deployment ${name} does not exist`);
    return d;
  }

  deleteDeployment(name: string): number {
    this.deployment(name);
    return this.queue.enqueue('delete_deployment', name, `delete deployment ${name}`, { deployment: name });
  }

  instances(name: string): InstanceView[] {
    this.deployment(name);
    return this.store.instances(name).map((i) => instanceView(i, i.agentId === null ? undefined : this.heartbeats.get(i.agentId), this.opts.heartbeatTimeoutMs));
  }

  /** recreate | restart | stop | start; `target` is "group", "group/index" or null for all. */
  instanceCommand(deployment: string, command: InstanceCommand, target: string | null, reason: string | null = null): number {
    selectInstances(this.store, deployment, target);
    return this.queue.enqueue('instance_command', deployment, `${command} ${deployment}${target !== null ? ` ${target}` : ''}`, { deployment, command, target, reason });
  }

  /** The healing hook for alerting: act on one instance, with the reason recorded in the task log. */
  heal(deployment: string, instance: string, action: 'recreate' | 'restart', reason: string): number {
    if (!/^[^/]+\/[^/]+$/.test(instance)) throw new VigilError('bad_data', `instance: expected "group/index", got "${instance}"`);
    selectInstances(this.store, deployment, instance);
    return this.queue.enqueue('instance_command', deployment, `heal ${deployment} ${instance}: ${action}`, { deployment, command: action, target: instance, reason, skipCanaries: true });
  }

  problems(deployment: string): Promise<Problem[]> {
    return scanProblems(this.deps, deployment);
  }

  resolveProblems(deployment: string, resolutions: Readonly<Record<string, string>>, auto: boolean): number {
    this.deployment(deployment);
    return this.queue.enqueue('cck', deployment, `cloud check ${deployment}`, { deployment, resolutions, auto });
  }

  healthEvents(deployment?: string): HealthEvent[] {
    return this.eventLog.recent(deployment);
  }

  // Tasks

  tasks(opts: { recent?: number; deployment?: string; all?: boolean } = {}): TaskRecord[] {
    if (opts.recent === undefined && opts.all !== true) return this.store.tasks({ states: ['queued', 'processing'], deployment: opts.deployment, limit: 1000 });
    return this.store.tasks({ deployment: opts.deployment, limit: opts.recent ?? 30 });
  }

  task(id: number): TaskRecord {
    const t = this.store.task(id);
    if (t === null) throw new VigilError('not_found', `task ${id} does not exist`);
    return t;
  }

  taskEvents(id: number, after = 0): TaskEvent[] {
    this.task(id);
    return this.store.events(id, after);
  }

  cancelTask(id: number): void {
    this.queue.cancel(id);
  }

  // Audit

  /** Records one lifecycle action (who, what, result); the API records every action it is asked for. */
  audit(entry: AuditInput): void {
    try {
      this.store.audit.add(entry);
    } catch (err) {
      // An action already taken is not undone because its record failed; the failure is logged loudly.
      this.opts.logger.error({ err: (err as Error).message, action: entry.action, target: entry.target }, 'audit entry not recorded');
    }
  }

  /** Audit entries, newest first; `before` (an entry id) pages back. */
  auditLog(q: { limit: number; before?: number }): AuditEntry[] {
    return this.store.audit.list(q);
  }

  /** Waits until a task ends (tests and the CLI's local mode). */
  async waitTask(id: number, timeoutMs = 120_000): Promise<TaskRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = this.task(id);
      if (t.state === 'done' || t.state === 'error' || t.state === 'cancelled') return t;
      if (Date.now() > deadline) throw new VigilError('timeout', `task ${id} still ${t.state} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50).unref());
    }
  }

  // Agents

  /**
   * Checks agent secrets for the platform's authentication hook (heartbeats, log shipping): a current
   * agent's secret is Principal `agent:<id>` with scope ingest, bound to the agent tenant.
   */
  agentCredentials(): SyncCredentialVerifier {
    return this.credentials.verifier(this.opts.agentTenant ?? 'default');
  }

  heartbeat(agentId: string, state: AgentState): void {
    this.heartbeats.set(agentId, { at: Date.now(), state });
  }
}
