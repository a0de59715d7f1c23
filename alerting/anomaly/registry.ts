import { coreFactories } from './detectors/cores.js';
import { EnsembleDetector } from './detectors/ensemble.js';
import { obj } from './state.js';
import { GuardedDetector } from './stream.js';
import type { StreamOptions } from './stream.js';
import type { DetectorCore, DetectorSnapshot, StateValue, StreamingDetector } from './types.js';

/** The detector Vigil uses when none is named. */
export const DEFAULT_DETECTOR = 'vigil';

export const detectorNames: readonly string[] = [...Object.keys(coreFactories), 'ensemble'];

function makeCore(kind: string, config: { [key: string]: StateValue }, state?: { [key: string]: StateValue }): DetectorCore {
  if (kind === 'ensemble') {
    const members = config['members'];
    const primaryWeight = config['primaryWeight'];
    return new EnsembleDetector(
      {
        ...(Array.isArray(members) ? { members: members.filter((m): m is string => typeof m === 'string') } : {}),
        ...(typeof primaryWeight === 'number' ? { primaryWeight } : {}),
      },
      state,
    );
  }
  const make = coreFactories[kind];
  if (make === undefined) throw new RangeError(`unknown detector: ${kind} (known: ${detectorNames.join(', ')})`);
  return make(config, state);
}

/** A fresh detector for one series. `config` overrides the detector's defaults (see docs/ANOMALY.md). */
export function createDetector(
  kind: string = DEFAULT_DETECTOR,
  config: { [key: string]: StateValue } = {},
  options: StreamOptions = {},
): StreamingDetector {
  return new GuardedDetector(makeCore(kind, config), options);
}

/** Resume a detector from a snapshot; subsequent scores are identical to the original's. */
export function restoreDetector(snapshot: DetectorSnapshot): StreamingDetector {
  const { counter, maxGapSlots, ...config } = snapshot.config;
  const coreState = obj(snapshot.state, 'core');
  // Snapshots taken before v2 became the default name 'vigil' but hold v1's state: resume them as v1.
  const kind = snapshot.kind === 'vigil' && !('profile' in coreState) ? 'vigil-nab' : snapshot.kind;
  const core = makeCore(kind, config, coreState);
  const options: StreamOptions = {
    ...(typeof counter === 'boolean' ? { counter } : {}),
    ...(typeof maxGapSlots === 'number' ? { maxGapSlots } : {}),
  };
  return new GuardedDetector(core, options, snapshot.state);
}
