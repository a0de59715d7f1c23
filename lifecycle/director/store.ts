import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { VigilError } from '../../core/index.js';
import type { ApplySpec } from '../agent/index.js';
import type { Release } from '../release/index.js';
import { AuditLog, auditSchema } from './auditLog.js';
import type { DeploymentRecord, InstanceRecord, ReleaseSummary, TaskEvent, TaskRecord, TaskState } from './types.js';

const schema = `
CREATE TABLE IF NOT EXISTS releases (name TEXT NOT NULL, version TEXT NOT NULL, body TEXT NOT NULL, uploaded_at INTEGER NOT NULL, PRIMARY KEY (name, version));
CREATE TABLE IF NOT EXISTS deployments (name TEXT PRIMARY KEY, manifest TEXT NOT NULL, releases TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS instances (
  deployment TEXT NOT NULL, grp TEXT NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL, az TEXT NOT NULL, ip TEXT NOT NULL,
  vm_cid TEXT, agent_id TEXT, vm_created_at INTEGER, disk_cid TEXT, disk_size_mb INTEGER NOT NULL DEFAULT 0,
  desired_state TEXT NOT NULL DEFAULT 'started', vm_type TEXT, networks TEXT NOT NULL DEFAULT '[]', bootstrap INTEGER NOT NULL DEFAULT 0,
  applied TEXT, applied_ok INTEGER NOT NULL DEFAULT 0, ignored INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (deployment, grp, idx));
CREATE UNIQUE INDEX IF NOT EXISTS instances_ip ON instances (ip);
CREATE TABLE IF NOT EXISTS variables (deployment TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (deployment, name));
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, deployment TEXT, description TEXT NOT NULL, state TEXT NOT NULL,
  args TEXT NOT NULL, result TEXT, error TEXT, resumes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER);
CREATE TABLE IF NOT EXISTS events (
  task_id INTEGER NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, stage TEXT NOT NULL, task TEXT NOT NULL,
  idx INTEGER NOT NULL, total INTEGER NOT NULL, state TEXT NOT NULL, tags TEXT NOT NULL, message TEXT, PRIMARY KEY (task_id, seq));
CREATE TABLE IF NOT EXISTS agent_credentials (agent_id TEXT PRIMARY KEY, secret_sha256 TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
${auditSchema}`;

interface InstanceRow {
  deployment: string;
  grp: string;
  idx: number;
  id: string;
  az: string;
  ip: string;
  vm_cid: string | null;
  agent_id: string | null;
  vm_created_at: number | null;
  disk_cid: string | null;
  disk_size_mb: number;
  desired_state: string;
  vm_type: string | null;
  networks: string;
  bootstrap: number;
  applied: string | null;
  applied_ok: number;
  ignored: number;
}

interface TaskRow {
  id: number;
  kind: string;
  deployment: string | null;
  description: string;
  state: string;
  args: string;
  result: string | null;
  error: string | null;
  resumes: number;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
}

function toInstance(r: InstanceRow): InstanceRecord {
  return {
    deployment: r.deployment,
    group: r.grp,
    index: r.idx,
    id: r.id,
    az: r.az,
    ip: r.ip,
    vmCid: r.vm_cid,
    agentId: r.agent_id,
    vmCreatedAt: r.vm_created_at,
    diskCid: r.disk_cid,
    diskSizeMb: r.disk_size_mb,
    desiredState: r.desired_state === 'stopped' ? 'stopped' : 'started',
    vmType: r.vm_type,
    networks: JSON.parse(r.networks) as string[],
    bootstrap: r.bootstrap === 1,
    applied: r.applied === null ? null : (JSON.parse(r.applied) as ApplySpec),
    appliedOk: r.applied_ok === 1,
    ignored: r.ignored === 1,
  };
}

function toTask(r: TaskRow): TaskRecord {
  return {
    id: r.id,
    kind: r.kind,
    deployment: r.deployment,
    description: r.description,
    state: r.state as TaskState,
    args: JSON.parse(r.args) as unknown,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error,
    resumes: r.resumes,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

/**
 * The director's durable state in SQLite (WAL): releases, deployments, instances, variables, tasks and
 * their event logs. Synchronous and single-process; every write is its own transaction, so a crash leaves
 * the last completed step recorded.
 */
export class DirectorStore {
  private readonly db: Db;
  private closed = false;
  /** Who did what, when, with what result: see auditLog.ts. */
  readonly audit: AuditLog;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.db = new Database(join(dir, 'director.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(schema);
    this.audit = new AuditLog(this.db);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // Releases

  putRelease(release: Release): void {
    const exists = this.db.prepare('SELECT 1 FROM releases WHERE name = ? AND version = ?').get(release.name, release.version);
    if (exists !== undefined) throw new VigilError('conflict', `release ${release.name}/${release.version} is already uploaded; bump its version`);
    this.db.prepare('INSERT INTO releases VALUES (?, ?, ?, ?)').run(release.name, release.version, JSON.stringify(release), Date.now());
  }

  /** `version` 'latest' picks the highest version (numeric where possible). */
  getRelease(name: string, version: string): Release | null {
    if (version === 'latest') {
      const rows = this.db.prepare('SELECT version FROM releases WHERE name = ?').all(name) as { version: string }[];
      const sorted = rows.map((r) => r.version).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      const last = sorted[sorted.length - 1];
      return last === undefined ? null : this.getRelease(name, last);
    }
    const row = this.db.prepare('SELECT body FROM releases WHERE name = ? AND version = ?').get(name, version) as { body: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.body) as Release);
  }

  listReleases(): ReleaseSummary[] {
    const rows = this.db.prepare('SELECT name, version, body, uploaded_at FROM releases ORDER BY name, uploaded_at').all() as { name: string; version: string; body: string; uploaded_at: number }[];
    const deps = this.listDeployments();
    return rows.map((r) => {
      const rel = JSON.parse(r.body) as Release;
      const key = `${r.name}/${r.version}`;
      return {
        name: r.name,
        version: r.version,
        jobs: rel.jobs.map((j) => j.name),
        packages: rel.packages.map((p) => p.name),
        uploadedAt: r.uploaded_at,
        inUseBy: deps.filter((d) => d.releases.includes(key)).map((d) => d.name),
      };
    });
  }

  // Deployments

  putDeployment(name: string, manifest: string, releases: readonly string[]): void {
    const now = Date.now();
    this.db
      .prepare('INSERT INTO deployments VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET manifest = excluded.manifest, releases = excluded.releases, updated_at = excluded.updated_at')
      .run(name, manifest, JSON.stringify(releases), now, now);
  }

  getDeployment(name: string): DeploymentRecord | null {
    const r = this.db.prepare('SELECT * FROM deployments WHERE name = ?').get(name) as
      | { name: string; manifest: string; releases: string; created_at: number; updated_at: number }
      | undefined;
    return r === undefined ? null : { name: r.name, manifest: r.manifest, releases: JSON.parse(r.releases) as string[], createdAt: r.created_at, updatedAt: r.updated_at };
  }

  listDeployments(): DeploymentRecord[] {
    const names = this.db.prepare('SELECT name FROM deployments ORDER BY name').all() as { name: string }[];
    return names.map((n) => this.getDeployment(n.name)).filter((d): d is DeploymentRecord => d !== null);
  }

  deleteDeployment(name: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM deployments WHERE name = ?').run(name);
      this.db.prepare('DELETE FROM instances WHERE deployment = ?').run(name);
      this.db.prepare('DELETE FROM variables WHERE deployment = ?').run(name);
    })();
  }

  // Instances

  instances(deployment: string): InstanceRecord[] {
    return (this.db.prepare('SELECT * FROM instances WHERE deployment = ? ORDER BY grp, idx').all(deployment) as InstanceRow[]).map(toInstance);
  }

  allInstances(): InstanceRecord[] {
    return (this.db.prepare('SELECT * FROM instances ORDER BY deployment, grp, idx').all() as InstanceRow[]).map(toInstance);
  }

  instance(deployment: string, group: string, index: number): InstanceRecord | null {
    const r = this.db.prepare('SELECT * FROM instances WHERE deployment = ? AND grp = ? AND idx = ?').get(deployment, group, index) as InstanceRow | undefined;
    return r === undefined ? null : toInstance(r);
  }

  usedIps(): Set<string> {
    return new Set((this.db.prepare('SELECT ip FROM instances').all() as { ip: string }[]).map((r) => r.ip));
  }

  /** Inserts or replaces the whole record. */
  putInstance(i: InstanceRecord): void {
    this.db
      .prepare(
        `INSERT INTO instances VALUES (@deployment, @grp, @idx, @id, @az, @ip, @vm_cid, @agent_id, @vm_created_at, @disk_cid, @disk_size_mb, @desired_state, @vm_type, @networks, @bootstrap, @applied, @applied_ok, @ignored)
         ON CONFLICT(deployment, grp, idx) DO UPDATE SET id=excluded.id, az=excluded.az, ip=excluded.ip, vm_cid=excluded.vm_cid, agent_id=excluded.agent_id,
         vm_created_at=excluded.vm_created_at, disk_cid=excluded.disk_cid, disk_size_mb=excluded.disk_size_mb, desired_state=excluded.desired_state,
         vm_type=excluded.vm_type, networks=excluded.networks, bootstrap=excluded.bootstrap, applied=excluded.applied, applied_ok=excluded.applied_ok, ignored=excluded.ignored`,
      )
      .run({
        deployment: i.deployment,
        grp: i.group,
        idx: i.index,
        id: i.id,
        az: i.az,
        ip: i.ip,
        vm_cid: i.vmCid,
        agent_id: i.agentId,
        vm_created_at: i.vmCreatedAt,
        disk_cid: i.diskCid,
        disk_size_mb: i.diskSizeMb,
        desired_state: i.desiredState,
        vm_type: i.vmType,
        networks: JSON.stringify(i.networks),
        bootstrap: i.bootstrap ? 1 : 0,
        applied: i.applied === null ? null : JSON.stringify(i.applied),
        applied_ok: i.appliedOk ? 1 : 0,
        ignored: i.ignored ? 1 : 0,
      });
  }

  /** Reads, changes and writes one instance; throws not_found when it is gone. */
  updateInstance(deployment: string, group: string, index: number, change: Partial<InstanceRecord>): InstanceRecord {
    const cur = this.instance(deployment, group, index);
    if (cur === null) throw new VigilError('not_found', `instance ${group}/${index} of deployment ${deployment} does not exist`);
    const next = { ...cur, ...change };
    this.putInstance(next);
    return next;
  }

  deleteInstance(deployment: string, group: string, index: number): void {
    this.db.prepare('DELETE FROM instances WHERE deployment = ? AND grp = ? AND idx = ?').run(deployment, group, index);
  }

  // Agent credentials (hashes only; see agentCredentials.ts)

  putAgentCredential(agentId: string, secretSha256: string): void {
    const now = Date.now();
    this.db.transaction(() => {
      // Credentials of agents no instance records any more are dead weight (an hour's grace for a VM being created).
      this.db.prepare('DELETE FROM agent_credentials WHERE created_at < ? AND agent_id NOT IN (SELECT agent_id FROM instances WHERE agent_id IS NOT NULL)').run(now - 3_600_000);
      this.db.prepare('INSERT OR REPLACE INTO agent_credentials VALUES (?, ?, ?)').run(agentId, secretSha256, now);
    })();
  }

  /** The agent a credential hash belongs to, if an instance still records that agent. */
  agentByCredentialHash(secretSha256: string): string | null {
    const r = this.db
      .prepare('SELECT c.agent_id AS agent_id FROM agent_credentials c JOIN instances i ON i.agent_id = c.agent_id WHERE c.secret_sha256 = ?')
      .get(secretSha256) as { agent_id: string } | undefined;
    return r?.agent_id ?? null;
  }

  // Variables

  variables(deployment: string): Map<string, unknown> {
    const rows = this.db.prepare('SELECT name, value FROM variables WHERE deployment = ?').all(deployment) as { name: string; value: string }[];
    return new Map(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
  }

  putVariable(deployment: string, name: string, value: unknown): void {
    this.db.prepare('INSERT OR REPLACE INTO variables VALUES (?, ?, ?)').run(deployment, name, JSON.stringify(value));
  }

  // Tasks

  createTask(kind: string, deployment: string | null, description: string, args: unknown): number {
    const r = this.db
      .prepare("INSERT INTO tasks (kind, deployment, description, state, args, created_at) VALUES (?, ?, ?, 'queued', ?, ?)")
      .run(kind, deployment, description, JSON.stringify(args ?? null), Date.now());
    return Number(r.lastInsertRowid);
  }

  task(id: number): TaskRecord | null {
    const r = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
    return r === undefined ? null : toTask(r);
  }

  tasks(filter: { states?: readonly TaskState[]; deployment?: string; limit?: number } = {}): TaskRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.states !== undefined) {
      where.push(`state IN (${filter.states.map(() => '?').join(',')})`);
      params.push(...filter.states);
    }
    if (filter.deployment !== undefined) {
      where.push('deployment = ?');
      params.push(filter.deployment);
    }
    const sql = `SELECT * FROM tasks ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, filter.limit ?? 30) as TaskRow[]).map(toTask);
  }

  startTask(id: number): void {
    this.db.prepare("UPDATE tasks SET state = 'processing', started_at = ? WHERE id = ?").run(Date.now(), id);
  }

  requeueTask(id: number): void {
    this.db.prepare("UPDATE tasks SET state = 'queued', resumes = resumes + 1 WHERE id = ?").run(id);
  }

  finishTask(id: number, state: 'done' | 'error' | 'cancelled', result: unknown, error: string | null): void {
    this.db.prepare('UPDATE tasks SET state = ?, result = ?, error = ?, ended_at = ? WHERE id = ?').run(state, JSON.stringify(result ?? null), error, Date.now(), id);
  }

  addEvent(taskId: number, ev: Omit<TaskEvent, 'seq' | 'ts'>): TaskEvent {
    const last = this.db.prepare('SELECT MAX(seq) AS s FROM events WHERE task_id = ?').get(taskId) as { s: number | null };
    const full: TaskEvent = { ...ev, seq: (last.s ?? 0) + 1, ts: Date.now() };
    this.db
      .prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(taskId, full.seq, full.ts, full.stage, full.task, full.index, full.total, full.state, JSON.stringify(full.tags), full.message);
    return full;
  }

  /** Events after `afterSeq` (exclusive), oldest first. */
  events(taskId: number, afterSeq = 0): TaskEvent[] {
    const rows = this.db.prepare('SELECT * FROM events WHERE task_id = ? AND seq > ? ORDER BY seq').all(taskId, afterSeq) as {
      seq: number;
      ts: number;
      stage: string;
      task: string;
      idx: number;
      total: number;
      state: string;
      tags: string;
      message: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      ts: r.ts,
      stage: r.stage,
      task: r.task,
      index: r.idx,
      total: r.total,
      state: r.state as TaskEvent['state'],
      tags: JSON.parse(r.tags) as string[],
      message: r.message,
    }));
  }
}
