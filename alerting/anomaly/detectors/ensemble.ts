import { obj } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';
import { coreFactories } from './cores.js';

/**
 * Runs several detectors side by side and combines their calibrated scores: the mean of the `agree`
 * highest. Agreement of two different views of the series (say, a seasonal residual and a novel
 * shape) is stronger evidence than either alone, while a single detector's quirk is diluted.
 * The band comes from the first member that has one (order members accordingly).
 */
export interface EnsembleConfig {
  members: string[];
  agree: number;
}

export const ensembleDefaults: EnsembleConfig = {
  members: ['vigil', 'seasonal', 'holt-winters', 'median-mad', 'cusum', 'bocpd', 'spectral-residual', 'relative-entropy', 'knn'],
  agree: 2,
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

  observe(x: number, out: AnomalyResult): void {
    let banded = false;
    for (let i = 0; i < this.members.length; i++) {
      const t = this.tmp;
      t.score = 0;
      t.lower = Number.NaN;
      t.upper = Number.NaN;
      (this.members[i] as DetectorCore).observe(x, t);
      this.scores[i] = t.score;
      if (!banded && Number.isFinite(t.lower)) {
        out.lower = t.lower;
        out.upper = t.upper;
        banded = true;
      }
    }
    this.scores.sort();
    const k = Math.max(1, Math.min(this.cfg.agree, this.scores.length));
    let sum = 0;
    for (let i = this.scores.length - k; i < this.scores.length; i++) sum += this.scores[i] as number;
    out.score = sum / k;
  }

  skip(): void {
    for (const m of this.members) m.skip();
  }

  config(): { [key: string]: StateValue } {
    return { members: [...this.cfg.members], agree: this.cfg.agree };
  }

  state(): { [key: string]: StateValue } {
    const members: { [key: string]: StateValue } = {};
    this.members.forEach((m, i) => (members[String(i)] = m.state()));
    return { members };
  }
}
