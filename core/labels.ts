import type { Labels } from './model.js';
import { MAX_QUOTED_BYTES, quote } from './quote.js';

/** The label that holds a metric's name. */
export const METRIC_NAME = '__name__';

// Prometheus' rules: metric names may contain ':', label names may not; names starting with "__" are reserved.
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

// Every series of every write is checked, but names repeat: a few hundred distinct ones carry
// millions of series. Valid names are remembered (up to a bound, then forgotten wholesale), so
// the common case is one set lookup instead of a regular expression.
const MEMO_LIMIT = 10_000;
const validLabelNames = new Set<string>();
const validMetricNames = new Set<string>();

function memoTest(memo: Set<string>, pattern: RegExp, name: string): boolean {
  if (memo.has(name)) return true;
  if (!pattern.test(name)) return false;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.add(name);
  return true;
}

export function isValidLabelName(name: string): boolean {
  return memoTest(validLabelNames, labelNamePattern, name);
}

export function isValidMetricName(name: string): boolean {
  return memoTest(validMetricNames, metricNamePattern, name);
}

/** Label pairs sorted by name: the canonical order for hashing, storage and output. */
export function sortedLabelPairs(labels: Labels): [string, string][] {
  return Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export type LabelPairs = readonly (readonly [string, string])[];

const pairsOfFrozen = new WeakMap<Labels, LabelPairs>();

/**
 * sortedLabelPairs for hot paths (sorting, keying and grouping series at every step): remembered
 * per object when the object is frozen, since a frozen label set cannot change under the memo.
 * The store hands out frozen label sets, so a series read once is sorted and keyed once.
 */
export function labelPairs(labels: Labels): LabelPairs {
  if (!Object.isFrozen(labels)) return sortedLabelPairs(labels);
  let pairs = pairsOfFrozen.get(labels);
  if (pairs === undefined) {
    pairs = Object.freeze(sortedLabelPairs(labels).map((p) => Object.freeze(p)));
    pairsOfFrozen.set(labels, pairs);
  }
  return pairs;
}

const sortKeyOfFrozen = new WeakMap<Labels, string>();

/**
 * A string whose order is Prometheus' order of label sets (pair by pair, name before value, a
 * prefix first): each name and value followed by U+0000, which sorts below every other code
 * unit. Sorting 50k series by one string each is several times faster than comparing pair lists.
 * (Only a value that itself contains U+0000 could sort differently.) Remembered for frozen sets.
 */
export function labelSortKey(labels: Labels): string {
  const frozen = Object.isFrozen(labels);
  let key = frozen ? sortKeyOfFrozen.get(labels) : undefined;
  if (key === undefined) {
    key = '';
    for (const [name, value] of labelPairs(labels)) key += `${name}\u0000${value}\u0000`;
    if (frozen) sortKeyOfFrozen.set(labels, key);
  }
  return key;
}

/** Sorts items by their labels (labelSortKey order), in place, computing each key once. */
export function sortByLabelSet<T extends { readonly labels: Labels }>(items: T[]): T[] {
  const keyed = items.map((item) => ({ item, key: labelSortKey(item.labels) }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) items[i] = (keyed[i] as { item: T }).item;
  return items;
}

/** The same label set with keys in sorted order (JSON output in Prometheus' order). */
export function sortLabels(labels: Labels): Labels {
  return Object.fromEntries(sortedLabelPairs(labels));
}

// A raw 0xff byte: it never occurs in UTF-8 text, so no label name or value can contain it.
// (The string '\xff' would be hashed as the UTF-8 of 'ÿ', which a value can contain.)
/**
 * Series identity: a stable 64-bit hash of the label set, independent of the order labels
 * arrive in. Each name/value pair is hashed on two independent 32-bit lanes over its UTF-16 code
 * units, with lengths mixed in first so that {a="b,c"} and {a="b",c=""} cannot meet; the pair
 * hashes are then added up per lane (a multiset hash, so no sorting is needed) and finalised with
 * the pair count. This runs on every series of every write, so it allocates nothing until the
 * final bigint: an order of magnitude cheaper than sorting the labels and running a
 * cryptographic digest.
 */
export function seriesId(labels: Labels): bigint {
  let sum1 = 0;
  let sum2 = 0;
  let count = 0;
  for (const name in labels) {
    hashLabelPair(name, labels[name] as string);
    sum1 = (sum1 + pairLane1) | 0;
    sum2 = (sum2 + pairLane2) | 0;
    count++;
  }
  return seriesIdFromLanes(sum1, sum2, count);
}

// hashLabelPair's result: two numbers returned without allocating (it runs per label per series).
let pairLane1 = 0;
let pairLane2 = 0;

/** Hashes one name/value pair into pairLane1/pairLane2: the terms seriesId adds up. */
function hashLabelPair(name: string, value: string): void {
  let h1 = 0x9747b28c ^ name.length;
  let h2 = 0x85ebca6b ^ Math.imul(name.length, 0x27d4eb2f);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x5bd1e995);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 ^ c, 0xcc9e2d51);
    h2 ^= h2 >>> 13;
  }
  h1 = Math.imul(h1 ^ value.length, 0x5bd1e995);
  h2 = Math.imul(h2 ^ value.length, 0xcc9e2d51);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x5bd1e995);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 ^ c, 0xcc9e2d51);
    h2 ^= h2 >>> 13;
  }
  pairLane1 = fmix32(h1);
  pairLane2 = fmix32(h2 ^ 0x1b873593);
}

/**
 * The lane terms of one label pair, written to out[at] and out[at + 1]. A batch that holds each
 * distinct pair once (SampleColumns) hashes every pair once and then adds up lanes per series.
 */
export function labelPairLanes(name: string, value: string, out: Int32Array, at: number): void {
  hashLabelPair(name, value);
  out[at] = pairLane1;
  out[at + 1] = pairLane2;
}

/** seriesId from the lane sums of a series' pairs (each sum taken `| 0`) and its label count. */
export function seriesIdFromLanes(sum1: number, sum2: number, count: number): bigint {
  const hi = fmix32(sum1 ^ count) >>> 0;
  const lo = fmix32(sum2 ^ Math.imul(count, 0xe6546b64)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * seriesIdFromLanes as two unsigned 32-bit words, written to out[at] (high) and out[at + 1] (low),
 * without allocating a bigint: for per-series bookkeeping on typed arrays (ingest limits).
 */
export function seriesIdWords(sum1: number, sum2: number, count: number, out: Uint32Array, at: number): void {
  out[at] = fmix32(sum1 ^ count);
  out[at + 1] = fmix32(sum2 ^ Math.imul(count, 0xe6546b64));
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Longest label value (bytes) formatSeries shows before cutting it. */
const SHOWN_VALUE_BYTES = 64;

/**
 * Prometheus' text form of a series, name{a="1", b="2"}, for error messages: long names and
 * values are cut and the labels stop at about `maxBytes`, so a message naming a series of
 * huge labels stays small.
 */
export function formatSeries(labels: Labels, maxBytes: number = MAX_QUOTED_BYTES): string {
  const fullName = labels[METRIC_NAME] ?? '';
  const name = fullName.length <= SHOWN_VALUE_BYTES ? fullName : quote(fullName, SHOWN_VALUE_BYTES);
  const parts: string[] = [];
  let length = name.length;
  for (const [k, v] of sortedLabelPairs(labels)) {
    if (k === METRIC_NAME) continue;
    if (length > maxBytes) {
      parts.push('…');
      break;
    }
    const part = `${k.length <= SHOWN_VALUE_BYTES ? k : quote(k, SHOWN_VALUE_BYTES)}=${quote(v, SHOWN_VALUE_BYTES)}`;
    parts.push(part);
    length += part.length + 2;
  }
  return parts.length === 0 ? name : `${name}{${parts.join(', ')}}`;
}
