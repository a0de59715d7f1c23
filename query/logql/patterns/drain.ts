/**
 * Drain (He et al., ICWS 2017), the log template miner Loki's pattern ingester uses: lines are
 * split into tokens; a fixed-depth tree routes a line by its token count and its first tokens
 * (a token holding a digit routes as a wildcard) to a few candidate clusters; the line joins the
 * most similar one when enough positions agree, turning the positions that differ into `<_>`,
 * or starts a cluster of its own. Each cluster counts its lines per time bucket.
 */
export interface DrainOptions {
  /**
   * Tokens of a line that route it in the tree after its length (default 1). More split lines
   * that differ early (`user alice …` and `user bob …` apart with 2) into separate clusters.
   */
  readonly prefixTokens?: number;
  /** Share of equal positions needed to join a cluster (Loki: 0.3). */
  readonly similarity?: number;
  /** Clusters per tree leaf; past it a line joins the most similar one anyway (Loki: 15). */
  readonly maxClustersPerLeaf?: number;
  /** Clusters in all; past it new kinds of lines are counted in no cluster. */
  readonly maxClusters?: number;
  /** Lines longer than this many tokens are not clustered (Loki: 80 in 3.x). */
  readonly maxTokens?: number;
}

export const WILDCARD = '<_>';

export interface Cluster {
  tokens: string[];
  /** Lines per bucket start (ms). */
  readonly counts: Map<number, number>;
  total: number;
}

export class Drain {
  private readonly leaves = new Map<string, Cluster[]>();
  private clusters = 0;
  private readonly prefixTokens: number;
  private readonly similarity: number;
  private readonly maxPerLeaf: number;
  private readonly maxClusters: number;
  private readonly maxTokens: number;

  constructor(opts: DrainOptions = {}) {
    this.prefixTokens = opts.prefixTokens ?? 1;
    this.similarity = opts.similarity ?? 0.3;
    this.maxPerLeaf = opts.maxClustersPerLeaf ?? 15;
    this.maxClusters = opts.maxClusters ?? 1000;
    this.maxTokens = opts.maxTokens ?? 80;
  }

  /** Adds one line seen in the bucket starting at `bucketMs`. */
  add(line: string, bucketMs: number): void {
    const tokens = line.split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0 || tokens.length > this.maxTokens) return;
    const key = [String(tokens.length), ...tokens.slice(0, this.prefixTokens).map((t) => (/\d/.test(t) ? WILDCARD : t))].join('\u0000');
    let leaf = this.leaves.get(key);
    if (leaf === undefined) this.leaves.set(key, (leaf = []));
    let best: Cluster | undefined;
    let bestScore = -1;
    for (const c of leaf) {
      const score = similarity(c.tokens, tokens);
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    if (best === undefined || (bestScore < this.similarity && leaf.length < this.maxPerLeaf)) {
      if (this.clusters >= this.maxClusters) return;
      this.clusters++;
      best = { tokens, counts: new Map(), total: 0 };
      leaf.push(best);
    } else {
      best.tokens = best.tokens.map((t, i) => (t === tokens[i] ? t : WILDCARD));
    }
    best.counts.set(bucketMs, (best.counts.get(bucketMs) ?? 0) + 1);
    best.total++;
  }

  /** Every cluster, most lines first. */
  clustersByCount(): Cluster[] {
    return [...this.leaves.values()].flat().sort((a, b) => b.total - a.total);
  }
}

/** Share of positions where the template holds the same token (a wildcard counts as no match). */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  let same = 0;
  for (let i = 0; i < tokens.length; i++) if (template[i] === tokens[i]) same++;
  return same / tokens.length;
}
