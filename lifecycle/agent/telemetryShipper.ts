import { existsSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from '../../core/index.js';
import type { AgentSettings } from '../cpi/process/processCpi.js';
import { attr, processMetrics } from './metrics.js';
import type { AgentState } from './protocol.js';

const maxChunk = 256 * 1024;

/**
 * Ships the VM's telemetry to the platform as OTLP/HTTP JSON every few seconds, one round at a time: new
 * lines of the job logs (VM_DIR/logs/JOB/*.log) to {platform}/v1/logs and the process states to
 * {platform}/v1/metrics. Log offsets live in memory: after an agent restart shipping starts from the
 * current end of each file, so nothing is sent twice.
 */
export class TelemetryShipper {
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly vmDir: string,
    private readonly platformUrl: string,
    private readonly settings: AgentSettings,
    private readonly logger: Logger,
    private readonly state: () => AgentState,
    private readonly labels: () => Readonly<Record<string, string>>,
    private readonly intervalMs = 5000,
  ) {}

  private resource(): ReturnType<typeof attr>[] {
    return [attr('service.name', 'vigil-vm'), attr('vigil.agent_id', this.settings.agent_id), attr('vigil.vm_cid', this.settings.vm_cid), attr('host.ip', this.settings.ip)];
  }

  private async post(path: string, body: unknown): Promise<void> {
    try {
      // The VM's credential is also its ingest credential (the platform maps it to agent:<id>, scope ingest).
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.settings.agent_secret !== undefined) headers['authorization'] = `Bearer ${this.settings.agent_secret}`;
      const res = await fetch(`${this.platformUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (!res.ok) this.logger.debug({ status: res.status, path }, 'the platform refused shipped telemetry');
    } catch (err) {
      this.logger.debug({ err: (err as Error).message, path }, 'shipping failed; this round is skipped');
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const f of this.files()) this.offsets.set(f, statSync(f).size);
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.round = Promise.all([this.ship(), this.post('/v1/metrics', processMetrics(this.state(), this.resource(), this.labels()))]).then(
        () => undefined,
        () => undefined,
      );
      void this.round.finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private files(): string[] {
    const root = join(this.vmDir, 'logs');
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((job) => {
      const d = join(root, job);
      return statSync(d).isDirectory() ? readdirSync(d).filter((n) => n.endsWith('.log')).map((n) => join(d, n)) : [];
    });
  }

  private async ship(): Promise<void> {
    const records: { timeUnixNano: string; body: { stringValue: string }; attributes: { key: string; value: { stringValue: string } }[] }[] = [];
    const now = `${BigInt(Date.now()) * 1_000_000n}`;
    for (const file of this.files()) {
      const from = this.offsets.get(file) ?? 0;
      const size = statSync(file).size;
      if (size <= from) continue;
      const len = Math.min(maxChunk, size - from);
      const buf = Buffer.alloc(len);
      const fd = openSync(file, 'r');
      readSync(fd, buf, 0, len, from);
      closeSync(fd);
      const text = buf.toString('utf8');
      const cut = text.lastIndexOf('\n');
      if (cut < 0) continue;
      this.offsets.set(file, from + Buffer.byteLength(text.slice(0, cut + 1)));
      const rel = relative(join(this.vmDir, 'logs'), file);
      for (const line of text.slice(0, cut).split('\n'))
        records.push({ timeUnixNano: now, body: { stringValue: line }, attributes: [{ key: 'log.file.path', value: { stringValue: rel } }] });
    }
    if (records.length === 0) return;
    await this.post('/v1/logs', { resourceLogs: [{ resource: { attributes: this.resource() }, scopeLogs: [{ scope: { name: 'vigil.agent' }, logRecords: records }] }] });
  }

  async shutdown(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.round;
  }
}
