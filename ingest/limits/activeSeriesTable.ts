/** Slot layout: three Uint32 words per slot. */
const WORDS = 3;
const HI = 0;
const LO = 1;
/** Minute (since the epoch) the series was last seen, plus one: 0 marks an empty slot. */
const SEEN = 2;
const MINUTE_MS = 60_000;
/** Grow (doubling) when more than this share of slots is used: linear probing stays short. */
const MAX_LOAD = 0.75;
/** Load of a freshly rebuilt table. */
const REBUILT_LOAD = 0.5;

/**
 * The distinct series one tenant sent within a window (default one hour, as Mimir counts
 * active series over its idle timeout), as an open-addressing hash table with linear probing on a
 * single Uint32Array: per slot the 64-bit series id (two words) and the minute it was last seen.
 *
 * Memory: 12 bytes per slot at 37.5–75 % load, i.e. 16–32 bytes per series: 1M random ids take
 * 2^21 slots = 25.2 MB (measured: 1M touches, then process.memoryUsage()), where a Set<bigint> of
 * the same ids takes 48.6 MB of V8 heap, and adds GC work. Inserting 1M new series takes ~0.25 s.
 *
 * Expiry is lazy: a series last seen more than the window ago keeps its slot (and counts) until
 * the table is rebuilt, which happens when it must grow, or when a new series meets the limit —
 * then at most once per minute, so a tenant stuck at its limit costs one rebuild a minute.
 */
export class ActiveSeriesTable {
  private slots: Uint32Array;
  private mask: number;
  private used = 0;
  private lastRebuildMinute = 0;
  private readonly windowMinutes: number;

  constructor(
    windowMs = 3_600_000,
    private readonly minCapacity = 1024,
  ) {
    this.windowMinutes = Math.max(1, Math.ceil(windowMs / MINUTE_MS));
    this.slots = new Uint32Array(minCapacity * WORDS);
    this.mask = minCapacity - 1;
  }

  /** Series held, including expired ones not yet purged (an upper bound on the active ones). */
  get size(): number {
    return this.used;
  }

  /** Slots allocated (a power of two); bytes = capacity × 12. */
  get capacity(): number {
    return this.mask + 1;
  }

  /**
   * Records that series (hi, lo) was seen at `nowMs`. True when the series was known or has been
   * added; false when it is new and `limit` (> 0) series are already active: it is not added.
   */
  touch(hi: number, lo: number, nowMs: number, limit = 0): boolean {
    const stamp = Math.floor(nowMs / MINUTE_MS) + 1;
    const at = this.find(hi, lo);
    if (this.slots[at + SEEN] !== 0) {
      // Keep the newest stamp: a request carrying an old timestamp clock must not age a series.
      if ((this.slots[at + SEEN] as number) < stamp) this.slots[at + SEEN] = stamp;
      return true;
    }
    if (limit > 0 && this.used >= limit) {
      if (stamp <= this.lastRebuildMinute) return false;
      this.rebuild(stamp);
      if (this.used >= limit) return false;
    }
    if (this.used + 1 > this.capacity * MAX_LOAD) this.rebuild(stamp);
    this.insert(hi >>> 0, lo >>> 0, stamp);
    return true;
  }

  /** Like touch for a series already held (refreshes its stamp and answers true); false, changing nothing, for a new one. */
  touchIfKnown(hi: number, lo: number, nowMs: number): boolean {
    const at = this.find(hi, lo);
    const seen = this.slots[at + SEEN] as number;
    if (seen === 0) return false;
    const stamp = Math.floor(nowMs / MINUTE_MS) + 1;
    if (seen < stamp) this.slots[at + SEEN] = stamp;
    return true;
  }

  /** True when (hi, lo) is held (seen within the window, or expired and not yet purged). Changes nothing. */
  has(hi: number, lo: number): boolean {
    return this.slots[this.find(hi, lo) + SEEN] !== 0;
  }

  /**
   * True when one more new entry fits under `limit` (> 0) at `nowMs`; like touch, purges expired
   * entries first when the table is at the limit (at most once a minute).
   */
  hasRoom(nowMs: number, limit: number): boolean {
    if (this.used < limit) return true;
    const stamp = Math.floor(nowMs / MINUTE_MS) + 1;
    if (stamp <= this.lastRebuildMinute) return false;
    this.rebuild(stamp);
    return this.used < limit;
  }

  /** Drops every series last seen more than the window before `nowMs`; returns how many remain. */
  purge(nowMs: number): number {
    this.rebuild(Math.floor(nowMs / MINUTE_MS) + 1);
    return this.used;
  }

  /** The slot (word offset) holding (hi, lo), or the empty slot where it would go. */
  private find(hi: number, lo: number): number {
    const h = hi >>> 0;
    const l = lo >>> 0;
    const { slots, mask } = this;
    // The low word is a finalised hash already (seriesIdFromLanes' fmix32): use it as the position.
    for (let i = l & mask; ; i = (i + 1) & mask) {
      const at = i * WORDS;
      if (slots[at + SEEN] === 0 || (slots[at + LO] === l && slots[at + HI] === h)) return at;
    }
  }

  private insert(hi: number, lo: number, stamp: number): void {
    const at = this.find(hi, lo);
    this.slots[at + HI] = hi;
    this.slots[at + LO] = lo;
    this.slots[at + SEEN] = stamp;
    this.used++;
  }

  /**
   * Copies the series seen within the window into a new table, sized so that they fill at most
   * half of it: a full table doubles, a mostly expired one shrinks back.
   */
  private rebuild(stamp: number): void {
    const old = this.slots;
    const oldest = stamp - this.windowMinutes;
    let live = 0;
    for (let at = SEEN; at < old.length; at += WORDS) if ((old[at] as number) > oldest) live++;
    let capacity = this.minCapacity;
    while (live + 1 > capacity * REBUILT_LOAD) capacity *= 2;
    this.slots = new Uint32Array(capacity * WORDS);
    this.mask = capacity - 1;
    this.used = 0;
    for (let at = 0; at < old.length; at += WORDS) {
      const seen = old[at + SEEN] as number;
      if (seen > oldest) this.insert(old[at + HI] as number, old[at + LO] as number, seen);
    }
    this.lastRebuildMinute = stamp;
  }
}
