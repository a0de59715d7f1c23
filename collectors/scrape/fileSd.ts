import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatZodIssues } from '../../core/index.js';
import { labelSetSchema } from './scrapeConfigSchema.js';
import type { FileSdConfig, TargetGroup } from './scrapeJob.js';

/** Largest file_sd file read: a target list, not a data set. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Editors write a file in several steps: wait for the burst to end before re-reading. */
const SETTLE_MS = 100;

const fileSchema = z.array(
  z
    .object({
      targets: z.array(z.string()).default([]),
      labels: labelSetSchema.default({}),
    })
    .strict(),
);

export interface FileSdOptions {
  readonly config: FileSdConfig;
  /** Called with every group of every matching file whenever any of them changed. */
  readonly onGroups: (groups: TargetGroup[]) => void;
  /** Called for a file that cannot be read or parsed; its last good groups are kept. */
  readonly onError: (file: string, message: string) => void;
}

/**
 * Prometheus' file_sd: JSON or YAML lists of {targets, labels}, from files whose last path
 * element may hold `*`; each group gets __meta_filepath. Re-read on a change in a watched
 * directory (fs.watch) and every refresh_interval anyway, since watches miss events on some
 * filesystems and for directories created later.
 */
export class FileSd {
  private readonly watchers: FSWatcher[] = [];
  private readonly byFile = new Map<string, TargetGroup[]>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: FileSdOptions) {}

  /** Reads the files once (resolves when the first groups were delivered), then watches them. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.stopped) return; // stopped while the first read ran
    for (const dir of new Set(this.options.config.files.map(dirname))) {
      try {
        const w = watch(dir, { persistent: false }, () => this.changed());
        w.on('error', () => undefined); // the directory went away: the periodic refresh still runs
        this.watchers.push(w);
      } catch {
        // A directory that does not exist yet: the periodic refresh picks it up.
      }
    }
    this.refreshTimer = setInterval(() => void this.refresh(), this.options.config.refreshIntervalMs);
    this.refreshTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    clearTimeout(this.settleTimer);
    for (const w of this.watchers) w.close();
  }

  private changed(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => void this.refresh(), SETTLE_MS);
    this.settleTimer.unref();
  }

  /** Re-reads every file; refreshes never overlap, and never reject. */
  private async refresh(): Promise<void> {
    if (this.refreshing !== undefined) return this.refreshing;
    this.refreshing = (async () => {
      const files = await this.matchingFiles();
      for (const known of [...this.byFile.keys()]) if (!files.includes(known)) this.byFile.delete(known);
      for (const file of files) {
        const groups = await this.readGroups(file);
        if (groups !== undefined) this.byFile.set(file, groups);
      }
      if (!this.stopped) this.options.onGroups([...this.byFile.values()].flat());
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async matchingFiles(): Promise<string[]> {
    const out: string[] = [];
    for (const pattern of this.options.config.files) {
      const name = basename(pattern);
      if (!name.includes('*')) {
        out.push(pattern);
        continue;
      }
      const dir = dirname(pattern);
      const matcher = new RegExp(`^${name.split('*').map(escapeRegex).join('[^/]*')}$`);
      const entries = await readdir(dir).catch(() => [] as string[]);
      for (const e of entries.sort()) if (matcher.test(e)) out.push(join(dir, e));
    }
    return [...new Set(out)];
  }

  private async readGroups(file: string): Promise<TargetGroup[] | undefined> {
    try {
      const info = await stat(file);
      if (info.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      const doc: unknown = parseYaml(await readFile(file, 'utf8'));
      const parsed = fileSchema.safeParse(doc ?? []);
      if (!parsed.success) throw new Error(formatZodIssues(parsed.error.issues));
      return parsed.data.map((g, i) => ({ targets: g.targets, labels: { ...g.labels, __meta_filepath: file }, source: `${file} group ${i}` }));
    } catch (err) {
      // A file that vanished simply has no targets any more; anything else keeps the last good groups.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      this.options.onError(file, (err as Error).message);
      return undefined;
    }
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
