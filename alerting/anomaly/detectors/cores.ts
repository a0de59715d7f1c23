import type { DetectorCore, StateValue } from '../types.js';
import { BocpdDetector } from './bocpd.js';
import { CusumDetector } from './cusum.js';
import { HoltWintersDetector } from './holt-winters.js';
import { KnnDetector } from './knn.js';
import { MedianMadDetector } from './median-mad.js';
import { RelativeEntropyDetector } from './relative-entropy.js';
import { SeasonalDetector } from './seasonal.js';
import { SpectralResidualDetector } from './spectral-residual.js';
import { VigilDetector } from './vigil.js';
import { VigilNabDetector } from './vigil-nab.js';

type Config = { [key: string]: StateValue };
type State = { [key: string]: StateValue } | undefined;

/** Numeric options only: a snapshot's config is trusted as far as its numbers go. */
function numeric(config: Config): { [key: string]: number } {
  const out: { [key: string]: number } = {};
  for (const [k, v] of Object.entries(config)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** The single (non-ensemble) detectors by name. */
export const coreFactories: Record<string, (config: Config, state: State) => DetectorCore> = {
  vigil: (c, s) => new VigilDetector(numeric(c), s),
  'vigil-nab': (c, s) => new VigilNabDetector(numeric(c), s),
  'median-mad': (c, s) => new MedianMadDetector(numeric(c), s),
  seasonal: (c, s) => new SeasonalDetector(numeric(c), s),
  'holt-winters': (c, s) => new HoltWintersDetector(numeric(c), s),
  cusum: (c, s) => new CusumDetector(numeric(c), s),
  bocpd: (c, s) => new BocpdDetector(numeric(c), s),
  'spectral-residual': (c, s) => new SpectralResidualDetector(numeric(c), s),
  'relative-entropy': (c, s) => new RelativeEntropyDetector(numeric(c), s),
  knn: (c, s) => new KnnDetector(numeric(c), s),
};
