/** A fixed-capacity ring of the most recent values, for lagged look-ups and periodic re-analysis. */
export class Ring {
  readonly buf: Float64Array;
  pos = 0;
  count = 0;

  constructor(readonly size: number) {
    this.buf = new Float64Array(size);
  }

  push(x: number): void {
    this.buf[this.pos] = x;
    this.pos = this.pos + 1 === this.size ? 0 : this.pos + 1;
    if (this.count < this.size) this.count++;
  }

  /** The value pushed `lag` pushes ago (lag 1 = the latest); NaN if not held. */
  back(lag: number): number {
    if (lag < 1 || lag > this.count) return Number.NaN;
    const i = this.pos - lag;
    return this.buf[i < 0 ? i + this.size : i] as number;
  }

  /** Held values, oldest first. */
  toArray(): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.back(this.count - i);
    return out;
  }

  toState(): { buf: number[]; pos: number; count: number } {
    return { buf: Array.from(this.buf), pos: this.pos, count: this.count };
  }

  static fromState(size: number, buf: number[], pos: number, count: number): Ring {
    const r = new Ring(size);
    r.buf.set(buf);
    r.pos = pos;
    r.count = count;
    return r;
  }
}
