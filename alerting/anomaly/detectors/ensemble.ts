import { obj } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';
import { coreFactories } from './cores.js';

/**
 * Runs several detectors side by side and combines their calibrated scores: the first member is the
 * primary (weight `primaryWeight`), the others contribute the mean of their scores with the rest.
 * Agreement of different views of the series (a seasonal residual, a novel shape, a changed value
 * distribution) lifts a borderline primary score over the line, and their silence pulls a lone
 * primary quirk under it. On NAB this scores about the same as the default alone (docs/ANOMALY.md):
 * the members' own false alarms cost about as much as their agreement gains. Equal-weight rules
 * (max, mean of the top k) were clearly worse.
 * The band comes from the first member that has one.
 */
export interface EnsembleConfig {
  members: string[];
  primaryWeight: number;
}

export const ensembleDefaults: EnsembleConfig = {
  members: ['vigil-nab', 'seasonal', 'holt-winters', 'median-mad', 'cusum', 'bocpd', 'spectral-residual', 'relative-entropy', 'knn'],
  primaryWeight: 0.8,
};

export class EnsembleDetector implements DetectorCore {
  readonly kind = 'ensemble';
  private readonly cfg: EnsembleConfig;
  private readonly members: DetectorCore[];
  private readonly scores: Float64Array;
  private readonly tmp: AnomalyResult = { score: 0, lower: Number.NaN, upper: Number.NaN };

  constructor(config: Partial<EnsembleConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...ensembleDefaults, ...config };
    this.members = this.cfg.members.map((name, i) => {
      const make = coreFactories[name];
      if (make === undefined) throw new RangeError(`unknown ensemble member: ${name}`);
      return make({}, state === undefined ? undefined : obj(obj(state, 'members'), String(i)));
    });
    this.scores = new Float64Array(this.members.length);
  }

  observe(x: number, out: AnomalyResult, timestampMs: number): void {
    let banded = false;
    for (let i = 0; i < this.members.length; i++) {
      const t = this.tmp;
      t.score = 0;
      t.lower = Number.NaN;
      t.upper = Number.NaN;
      (this.members[i] as DetectorCore).observe(x, t, timestampMs);
      this.scores[i] = t.score;
      if (!banded && Number.isFinite(t.lower)) {
        out.lower = t.lower;
        out.upper = t.upper;
        banded = true;
      }
    }
    const n = this.scores.length;
    if (n === 1) {
      out.score = this.scores[0] as number;
      return;
    }
    let others = 0;
    for (let i = 1; i < n; i++) others += this.scores[i] as number;
    const w = this.cfg.primaryWeight;
    out.score = w * (this.scores[0] as number) + ((1 - w) * others) / (n - 1);
  }

  skip(): void {
    for (const m of this.members) m.skip();
  }

  config(): { [key: string]: StateValue } {
    return { members: [...this.cfg.members], primaryWeight: this.cfg.primaryWeight };
  }

  state(): { [key: string]: StateValue } {
    const members: { [key: string]: StateValue } = {};
    this.members.forEach((m, i) => (members[String(i)] = m.state()));
    return { members };
  }
}
