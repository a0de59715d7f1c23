import { join } from 'node:path';
import { VigilError } from '../../../core/index.js';

/**
 * Names that become file and directory names. Topics and groups are restricted to a portable
 * alphabet (as Kafka does for topics) so a name can never escape the bus directory.
 */
const NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function assertTopicName(topic: string): void {
  if (!NAME.test(topic) || topic === '.' || topic === '..') {
    throw new VigilError('bad_data', `bus topic "${topic}" must be 1-200 characters of [A-Za-z0-9._-]`);
  }
}

export function assertGroupName(group: string): void {
  if (!NAME.test(group) || group === '.' || group === '..') {
    throw new VigilError('bad_data', `consumer group "${group}" must be 1-200 characters of [A-Za-z0-9._-]`);
  }
}

export function topicsDir(root: string): string {
  return join(root, 'topics');
}

export function groupsDir(root: string): string {
  return join(root, 'groups');
}

export function partitionDir(root: string, topic: string, partition: number): string {
  return join(topicsDir(root), topic, String(partition));
}

const SEGMENT_FILE = /^(\d{20})\.log$/;

/** Segment files are named by their base offset, zero-padded so names sort like offsets. */
export function segmentFileName(baseOffset: bigint): string {
  return `${baseOffset.toString().padStart(20, '0')}.log`;
}

export function indexFileName(baseOffset: bigint): string {
  return `${baseOffset.toString().padStart(20, '0')}.idx`;
}

/** The base offset of a segment file name, or undefined for any other file. */
export function parseSegmentFileName(name: string): bigint | undefined {
  const m = SEGMENT_FILE.exec(name);
  return m === null ? undefined : BigInt(m[1] as string);
}

/**
 * The partition of a key: FNV-1a (32 bit) of its UTF-8 bytes modulo the partition count. Stable
 * across processes and versions, which is what keeps one tenant's records in order.
 */
export function partitionOf(key: string, partitions: number): number {
  if (partitions === 1) return 0;
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(key, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
