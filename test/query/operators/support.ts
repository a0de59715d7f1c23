import type { Labels } from '../../../core/index.js';
import type { VectorMatching } from '../../../query/index.js';
import type { VectorElement } from '../../../query/engine/index.js';
import { sortByLabels } from '../../../query/engine/index.js';

/** The evaluation time every case uses: operators must stamp their results with it. */
export const T = 300_000;

export function el(labels: Labels, v: number, t = T): VectorElement {
  return { labels, t, v };
}

/** Results in label order, so that cases can list them in any order (operators leave order unspecified). */
export function sorted(vector: VectorElement[]): VectorElement[] {
  return sortByLabels([...vector]);
}

export function matching(card: VectorMatching['card'], on: boolean, labels: string[] = [], include: string[] = []): VectorMatching {
  return { card, on, labels, include };
}

export const oneToOne = matching('one-to-one', false);
export const manyToMany = matching('many-to-many', false);
