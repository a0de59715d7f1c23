import type { ApplyPackage } from '../agent/index.js';
import type { RenderedJob } from '../release/index.js';

/** What the manifest wants one instance to be. */
export interface DesiredInstance {
  readonly group: string;
  readonly index: number;
  readonly id: string;
  readonly az: string;
  readonly ip: string;
  readonly bootstrap: boolean;
  readonly vmType: string;
  readonly networks: readonly string[];
  readonly diskSizeMb: number;
  readonly state: 'started' | 'stopped';
  readonly jobs: readonly RenderedJob[];
  readonly packages: readonly ApplyPackage[];
}
