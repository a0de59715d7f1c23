import { num, nums, obj } from './state.js';
import type { StateValue } from './types.js';

export interface ShapeConfig {
  /** Middle block size (points averaged into one block mean); 0 turns shape novelty off. */
  block: number;
  /** Block sizes are block × (1 − blockSpread), block, block × (1 + blockSpread). */
  blockSpread: number;
  /** Block means per shape (the window is dims × block points long). */
  dims: number;
  /** Middle vigilance: a shape resonates with a category when their fuzzy overlap is ≥ rho. */
  rho: number;
  /** Vigilances are rho − rhoSpread, rho, rho + rhoSpread. */
  rhoSpread: number;
  /** Observed points whose range fixes the normalisation (and during which nothing alarms). */
  learn: number;
  /** How far a resonating category moves toward the shape (slow learning keeps categories stable). */
  beta: number;
  /** Categories per channel: the least recently used one is replaced when all are taken. */
  categories: number;
  /** Fraction of the channels that must have found a novel shape within `agree` points. */
  quorum: number;
  agree: number;
  /** At most one alarm per this many observed points. */
  rest: number;
}

/** One block size: the running block and the last `dims` block means (a ring). */
interface Blocks {
  size: number;
  sum: number;
  count: number;
  means: Float64Array;
  pos: number;
  filled: number;
}

/** One fuzzy-ART memory of shapes at one block size and one vigilance. */
interface Channel {
  blocks: number;
  rho: number;
  /** Category weights, 2·dims per category (complement coded), `used` of them valid. */
  w: Float64Array;
  used: number;
  /** When each category last resonated (observed-point count), for replacement. */
  lastUsed: Float64Array;
  lastNovel: number;
}

/**
 * Shape novelty by a vote of fuzzy-ART memories (Carpenter, Grossberg & Rosen 1991), as ARTime uses
 * for NAB, made causal: a window of block means, scaled by the range of the learning period (then
 * frozen — a range that keeps growing changes what a learnt category means) and clamped to [0, 1],
 * either resonates with a learnt category (and refines it) or becomes a new one. One channel per
 * block size × vigilance (3 × 3); a single channel alarms on quirks of its own grid, so an alarm
 * needs a quorum of channels to have found a novel shape within `agree` points. This is what
 * catches a changed *pattern* — a sustained change of level or rhythm within the normal range —
 * that neither a record nor a never-seen value shows. Cost: a few additions per point, and one
 * match against each channel's few categories per completed block.
 */
export class ShapeNovelty {
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private seen = 0;
  private lastAlarm = Number.NEGATIVE_INFINITY;
  private readonly blocks: Blocks[] = [];
  private readonly channels: Channel[] = [];
  private readonly input: Float64Array;

  constructor(
    private readonly cfg: ShapeConfig,
    state?: { [key: string]: StateValue },
  ) {
    const d = cfg.dims;
    this.input = new Float64Array(2 * d);
    const sizes = [1 - cfg.blockSpread, 1, 1 + cfg.blockSpread].map((f) => Math.max(1, Math.round(cfg.block * f)));
    for (let b = 0; b < sizes.length; b++) {
      this.blocks.push({ size: sizes[b] as number, sum: 0, count: 0, means: new Float64Array(d), pos: 0, filled: 0 });
      for (const rho of [cfg.rho - cfg.rhoSpread, cfg.rho, cfg.rho + cfg.rhoSpread]) {
        this.channels.push({
          blocks: b,
          rho,
          w: new Float64Array(cfg.categories * 2 * d),
          used: 0,
          lastUsed: new Float64Array(cfg.categories),
          lastNovel: Number.NEGATIVE_INFINITY,
        });
      }
    }
    if (state !== undefined) this.restore(state);
  }

  /** Learns x; true when the channels agree that the latest shape is one never seen before. */
  observe(x: number): boolean {
    const c = this.cfg;
    if (this.seen < c.learn && (x < this.lo || x > this.hi)) this.widen(Math.min(this.lo, x), Math.max(this.hi, x));
    this.seen++;
    let novel = false;
    for (let b = 0; b < this.blocks.length; b++) {
      const bl = this.blocks[b] as Blocks;
      bl.sum += x;
      bl.count++;
      if (bl.count < bl.size) continue;
      bl.means[bl.pos] = bl.sum / bl.count;
      bl.pos = (bl.pos + 1) % c.dims;
      if (bl.filled < c.dims) bl.filled++;
      bl.sum = 0;
      bl.count = 0;
      if (bl.filled < c.dims || !(this.hi > this.lo)) continue;
      this.encode(bl);
      for (const ch of this.channels) {
        if (ch.blocks === b && this.present(ch)) {
          ch.lastNovel = this.seen;
          novel = true;
        }
      }
    }
    if (!novel || this.seen <= c.learn || this.seen - this.lastAlarm <= c.rest) return false;
    let votes = 0;
    for (const ch of this.channels) if (this.seen - ch.lastNovel < c.agree) votes++;
    if (votes < c.quorum * this.channels.length) return false;
    this.lastAlarm = this.seen;
    return true;
  }

  /**
   * While learning, the range grows; the categories learnt so far are boxes in the old scale, and an
   * affine map carries a box exactly, so they are re-expressed in the new one (else the first shapes,
   * scaled by a range of a few points, would sit mid-range and absorb genuinely new shapes later).
   */
  private widen(lo: number, hi: number): void {
    const oldLo = this.lo;
    const oldRange = this.hi - this.lo;
    this.lo = lo;
    this.hi = hi;
    const range = hi - lo;
    if (!(oldRange > 0) || !(range > 0)) return;
    const d = this.cfg.dims;
    const a = oldRange / range;
    const b = (oldLo - lo) / range;
    for (const ch of this.channels) {
      for (let j = 0; j < ch.used; j++) {
        const o = j * 2 * d;
        for (let i = 0; i < d; i++) {
          // Box [lower, upper] is stored as (lower, 1 − upper).
          ch.w[o + i] = a * (ch.w[o + i] as number) + b;
          ch.w[o + d + i] = 1 - (a * (1 - (ch.w[o + d + i] as number)) + b);
        }
      }
    }
  }

  /** The block means, oldest first, scaled to the learning range, clamped, complement coded. */
  private encode(bl: Blocks): void {
    const d = this.cfg.dims;
    const r = this.hi - this.lo;
    for (let i = 0; i < d; i++) {
      let u = ((bl.means[(bl.pos + i) % d] as number) - this.lo) / r;
      u = u < 0 ? 0 : u > 1 ? 1 : u;
      this.input[i] = u;
      this.input[d + i] = 1 - u;
    }
  }

  /**
   * Fuzzy ART: among the categories whose overlap |I ∧ w| / dims reaches the vigilance, the one
   * with the best choice value |I ∧ w| / (α + |w|) learns the shape; true if none does (the shape
   * is novel and becomes a category of its own).
   */
  private present(ch: Channel): boolean {
    const d2 = 2 * this.cfg.dims;
    const I = this.input;
    let best = -1;
    let bestChoice = -1;
    for (let j = 0; j < ch.used; j++) {
      const o = j * d2;
      let inter = 0;
      let size = 0;
      for (let k = 0; k < d2; k++) {
        const a = I[k] as number;
        const w = ch.w[o + k] as number;
        inter += a < w ? a : w;
        size += w;
      }
      if (inter < ch.rho * this.cfg.dims) continue;
      const choice = inter / (0.001 + size);
      if (choice > bestChoice) {
        bestChoice = choice;
        best = j;
      }
    }
    const beta = this.cfg.beta;
    if (best >= 0) {
      const o = best * d2;
      for (let k = 0; k < d2; k++) {
        const a = I[k] as number;
        const w = ch.w[o + k] as number;
        ch.w[o + k] = beta * (a < w ? a : w) + (1 - beta) * w;
      }
      ch.lastUsed[best] = this.seen;
      return false;
    }
    let slot = ch.used;
    if (slot < this.cfg.categories) ch.used++;
    else {
      slot = 0;
      for (let j = 1; j < ch.used; j++) if ((ch.lastUsed[j] as number) < (ch.lastUsed[slot] as number)) slot = j;
    }
    ch.w.set(I, slot * d2);
    ch.lastUsed[slot] = this.seen;
    return true;
  }

  toState(): { [key: string]: StateValue } {
    const d2 = 2 * this.cfg.dims;
    return {
      lo: this.lo,
      hi: this.hi,
      seen: this.seen,
      lastAlarm: this.lastAlarm,
      blocks: this.blocks.map((b) => ({ sum: b.sum, count: b.count, means: Array.from(b.means), pos: b.pos, filled: b.filled })),
      channels: this.channels.map((ch) => ({
        w: Array.from(ch.w.subarray(0, ch.used * d2)),
        lastUsed: Array.from(ch.lastUsed.subarray(0, ch.used)),
        lastNovel: ch.lastNovel,
      })),
    };
  }

  private restore(s: { [key: string]: StateValue }): void {
    const d2 = 2 * this.cfg.dims;
    this.lo = num(s, 'lo');
    this.hi = num(s, 'hi');
    this.seen = num(s, 'seen');
    this.lastAlarm = num(s, 'lastAlarm');
    const blocks = s['blocks'];
    const channels = s['channels'];
    if (!Array.isArray(blocks) || blocks.length !== this.blocks.length) throw new TypeError('state.blocks does not match the config');
    if (!Array.isArray(channels) || channels.length !== this.channels.length) throw new TypeError('state.channels does not match the config');
    this.blocks.forEach((bl, i) => {
      const b = obj({ b: blocks[i] ?? null }, 'b');
      bl.sum = num(b, 'sum');
      bl.count = num(b, 'count');
      bl.means.set(nums(b, 'means').slice(0, this.cfg.dims));
      bl.pos = num(b, 'pos');
      bl.filled = num(b, 'filled');
    });
    this.channels.forEach((ch, i) => {
      const c = obj({ c: channels[i] ?? null }, 'c');
      const w = nums(c, 'w');
      const used = Math.min(this.cfg.categories, Math.floor(w.length / d2));
      ch.w.set(w.slice(0, used * d2));
      ch.lastUsed.set(nums(c, 'lastUsed').slice(0, used));
      ch.used = used;
      ch.lastNovel = num(c, 'lastNovel');
    });
  }
}
