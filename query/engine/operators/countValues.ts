import { isValidLabelName, VigilError } from '../../../core/index.js';
import type { VectorElement } from '../types.js';
import { formatFloatF, goQuote } from './goFormat.js';
import { groupVector } from './grouping.js';

/**
 * `count_values("label", v)`: how many elements share each value, the value written into
 * `label` as Go's strconv.FormatFloat(v, 'f', -1) does (1e21 in full, "+Inf", "NaN") — not the
 * JSON sample format. The label replaces one of the same name the series already had; with
 * `by`, it is grouped on too.
 */
export function countValues(vector: readonly VectorElement[], grouping: readonly string[], without: boolean, label: string, t: number): VectorElement[] {
  if (!isValidLabelName(label)) throw new VigilError('execution', `invalid label name ${goQuote(label)}`);
  const relabelled = vector.map((e) => ({ labels: { ...e.labels, [label]: formatFloatF(e.v) }, t: e.t, v: e.v }));
  const groups = groupVector(relabelled, without ? grouping : [...grouping, label], without);
  return groups.map((group) => ({ labels: group.labels, t, v: group.members.length }));
}
