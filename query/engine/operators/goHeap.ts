/**
 * A binary heap with the exact algorithm of Go's container/heap (push: append and sift up;
 * pop: swap the root with the last, sift down, remove the last). topk/bottomk keep their
 * candidates in such a heap, and which of several equal values survives depends on its moves;
 * replaying them lets ties resolve as in Prometheus, given the same input order.
 */
export class GoHeap<T> {
  readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const last = this.items.length - 1;
    if (last < 0) return undefined;
    this.swap(0, last);
    this.down(0, last);
    return this.items.pop();
  }

  private lessAt(i: number, j: number): boolean {
    return this.less(this.items[i] as T, this.items[j] as T);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i] as T;
    this.items[i] = this.items[j] as T;
    this.items[j] = a;
  }

  private up(j: number): void {
    while (j > 0) {
      const parent = Math.floor((j - 1) / 2);
      if (!this.lessAt(j, parent)) break;
      this.swap(parent, j);
      j = parent;
    }
  }

  private down(i: number, n: number): void {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let child = left;
      if (left + 1 < n && this.lessAt(left + 1, left)) child = left + 1;
      if (!this.lessAt(child, i)) break;
      this.swap(i, child);
      i = child;
    }
  }
}
