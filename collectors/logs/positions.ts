import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/** How far a file was read: the file is known by device and inode, so a new file under an old name starts over. */
export interface FilePosition {
  readonly dev: number;
  readonly ino: number;
  /** Bytes of the file already handed on (whole records only). */
  readonly offset: number;
}

const positionsSchema = z.object({
  version: z.literal(1),
  positions: z.record(z.string(), z.object({ dev: z.number().int().nonnegative(), ino: z.number().int().nonnegative(), offset: z.number().int().nonnegative() })),
});

/**
 * The positions file: path → position, kept across restarts (promtail's positions.yaml, as
 * JSON). save() writes a temporary file, fsyncs and renames it over the old one, so a crash
 * leaves either the old or the new positions, never half of them. A position is advanced only
 * after the lines before it were handed on, so a restart may repeat lines but never skips any.
 */
export class PositionsFile {
  private readonly positions = new Map<string, FilePosition>();
  private dirty = false;

  private constructor(readonly path: string) {}

  /** Reads the file; a missing one is empty, an unreadable one is an error naming it. */
  static async load(path: string): Promise<PositionsFile> {
    const p = new PositionsFile(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return p;
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`positions file ${path} is not JSON`);
    }
    const parsed = positionsSchema.safeParse(json);
    if (!parsed.success) throw new Error(`positions file ${path} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    for (const [file, pos] of Object.entries(parsed.data.positions)) p.positions.set(file, pos);
    return p;
  }

  get(file: string): FilePosition | undefined {
    return this.positions.get(file);
  }

  set(file: string, pos: FilePosition): void {
    const old = this.positions.get(file);
    if (old !== undefined && old.dev === pos.dev && old.ino === pos.ino && old.offset === pos.offset) return;
    this.positions.set(file, pos);
    this.dirty = true;
  }

  /** Forgets files that are no longer tailed (deleted, or no longer matched). */
  retain(files: ReadonlySet<string>): void {
    for (const f of this.positions.keys()) {
      if (!files.has(f)) {
        this.positions.delete(f);
        this.dirty = true;
      }
    }
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ version: 1, positions: Object.fromEntries(this.positions) }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path);
    // The rename must reach the disk too, or a power cut could bring back older positions (lines repeated, never lost).
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
