import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { AmMatcher } from './amMatchers.js';
import { makeMatcher } from './amMatchers.js';

/** A matcher as Alertmanager's API v2 writes it. */
export const apiMatcherSchema = z
  .object({
    name: z.string().min(1).max(1024),
    value: z.string().max(4096),
    isRegex: z.boolean(),
    isEqual: z.boolean().default(true),
  })
  .strict();

/** POST /api/v2/silences (postableSilence). */
export const postableSilenceSchema = z
  .object({
    id: z.string().max(64).optional(),
    matchers: z.array(apiMatcherSchema).min(1).max(64),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    createdBy: z.string().min(1).max(1024),
    comment: z.string().min(1).max(64 * 1024),
  })
  .strict();

export type PostableSilence = z.infer<typeof postableSilenceSchema>;

export interface Silence {
  readonly id: string;
  readonly matchers: PostableSilence['matchers'];
  readonly startsAt: number;
  endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  updatedAt: number;
}

/** Most silences kept (expired ones are forgotten first). */
const MAX_SILENCES = 10_000;
/** Expired silences are kept this long, as Alertmanager's --data.retention (120 h). */
const RETENTION_MS = 120 * 3600_000;

/**
 * Silences (Alertmanager's API v2 semantics): matchers and a time window; an alert whose labels
 * match every matcher is muted while the silence is active. Kept in a JSON file written atomically
 * on every change, so they survive restarts.
 */
export class Silences {
  private readonly silences = new Map<string, Silence>();
  private readonly compiled = new Map<string, AmMatcher[]>();

  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (file === undefined) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const s of JSON.parse(text) as Silence[]) this.put(s);
  }

  private put(s: Silence): void {
    this.silences.set(s.id, s);
    this.compiled.set(
      s.id,
      s.matchers.map((m) => makeMatcher(m.name, m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=', m.value)),
    );
  }

  /** Creates or updates a silence; returns its id. Throws Error naming what is wrong. */
  upsert(input: PostableSilence): string {
    const startsAt = Date.parse(input.startsAt);
    const endsAt = Date.parse(input.endsAt);
    if (endsAt < startsAt) throw new Error('failed to create silence: start time must be before end time');
    if (endsAt < this.now()) throw new Error('failed to create silence: end time can\'t be in the past');
    if (input.id !== undefined && input.id !== '' && !this.silences.has(input.id)) throw new Error(`silence ${input.id} not found`);
    const id = input.id !== undefined && input.id !== '' ? input.id : randomUUID();
    const s: Silence = { id, matchers: input.matchers, startsAt, endsAt, createdBy: input.createdBy, comment: input.comment, updatedAt: this.now() };
    // Validates the regexes before anything is stored.
    s.matchers.forEach((m) => makeMatcher(m.name, m.isRegex ? '=~' : '=', m.value));
    this.put(s);
    this.prune();
    this.save();
    return id;
  }

  /** Expires a silence now; false when there is none with that id. */
  expire(id: string): boolean {
    const s = this.silences.get(id);
    if (s === undefined) return false;
    const now = this.now();
    if (s.endsAt > now) {
      s.endsAt = now;
      s.updatedAt = now;
      this.save();
    }
    return true;
  }

  state(s: Silence, now = this.now()): 'pending' | 'active' | 'expired' {
    if (s.endsAt <= now) return 'expired';
    return s.startsAt > now ? 'pending' : 'active';
  }

  get(id: string): Silence | undefined {
    return this.silences.get(id);
  }

  list(): Silence[] {
    return [...this.silences.values()];
  }

  /** Ids of the active silences that mute these labels. */
  mutedBy(labels: Readonly<Record<string, string>>, now = this.now()): string[] {
    const out: string[] = [];
    for (const s of this.silences.values()) {
      if (this.state(s, now) !== 'active') continue;
      if ((this.compiled.get(s.id) ?? []).every((m) => m.test(labels[m.name] ?? ''))) out.push(s.id);
    }
    return out;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, s] of this.silences) {
      if (s.endsAt < now - RETENTION_MS || this.silences.size > MAX_SILENCES) {
        if (this.state(s, now) !== 'expired' && this.silences.size <= MAX_SILENCES) continue;
        this.silences.delete(id);
        this.compiled.delete(id);
      }
    }
  }

  private save(): void {
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.list()));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
