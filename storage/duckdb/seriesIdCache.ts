import type { Labels } from '../../core/index.js';
import { seriesId } from '../../core/index.js';

/**
 * Remembers seriesId() of label sets seen recently. Hashing sorts the labels and runs MD5 over
 * them, which costs several microseconds per series, and every batch re-sends the same series;
 * a lookup by the labels in the order they arrive costs a fraction of that.
 *
 * The key is length-prefixed ("3:job4:node..."), so no label value can forge another set's key.
 * Two generations bound memory: when the current one is full it becomes the previous one, and
 * entries still in use are promoted back on their next lookup.
 */
export class SeriesIdCache {
  private current = new Map<string, bigint>();
  private previous = new Map<string, bigint>();

  constructor(private readonly maxPerGeneration = 200_000) {}

  idOf(labels: Labels): bigint {
    let key = '';
    for (const name in labels) {
      const value = labels[name] as string;
      key += `${name.length}:${name}${value.length}:${value}`;
    }
    let id = this.current.get(key);
    if (id !== undefined) return id;
    id = this.previous.get(key) ?? seriesId(labels);
    if (this.current.size >= this.maxPerGeneration) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, id);
    return id;
  }
}
