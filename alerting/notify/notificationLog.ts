import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What was last delivered to one receiver for one alert group (Alertmanager's nflog entry). */
export interface LogEntry {
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  /** When it was delivered (ms). */
  readonly timestamp: number;
}

/** Entries older than this are forgotten (Alertmanager's default retention, 120 h). */
const RETENTION_MS = 120 * 3600_000;

/**
 * The notification log: per alert group and receiver, the last delivery. Kept in a JSON file
 * written atomically (temp file + rename) after every delivery, so that a restart neither pages
 * again for alerts already delivered nor forgets a group that was never delivered.
 */
export class NotificationLog {
  private readonly entries = new Map<string, LogEntry>();

  constructor(private readonly file: string | undefined) {
    if (file === undefined) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // first start
    }
    const doc = JSON.parse(text) as Record<string, LogEntry>;
    for (const [k, e] of Object.entries(doc)) {
      if (Array.isArray(e.firing) && Array.isArray(e.resolved) && typeof e.timestamp === 'number') this.entries.set(k, e);
    }
  }

  get(groupKey: string, receiver: string): LogEntry | undefined {
    return this.entries.get(`${receiver}\u0000${groupKey}`);
  }

  /** Records a delivery and makes it durable before resolving. */
  record(groupKey: string, receiver: string, entry: LogEntry): void {
    this.entries.set(`${receiver}\u0000${groupKey}`, entry);
    for (const [k, e] of this.entries) if (e.timestamp < entry.timestamp - RETENTION_MS) this.entries.delete(k);
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.entries)));
    renameSync(tmp, this.file);
  }
}
