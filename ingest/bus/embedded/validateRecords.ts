import { VigilError } from '../../../core/index.js';
import type { BusRecord } from '../bus.js';
import { MAX_KEY_BYTES } from './recordFrame.js';

/** Why a send was refused, for the rejected-sends metric. */
export type RejectReason = 'invalid' | 'too_large';

/**
 * Checks each record's shape and size before anything is written (a send is all or nothing)
 * and returns the UTF-8 keys. Throws VigilError naming the record; `onReject` is told why.
 */
export function validateRecords(records: readonly BusRecord[], maxRecordBytes: number, onReject: (reason: RejectReason) => void): Buffer[] {
  const reject = (reason: RejectReason, error: VigilError): never => {
    onReject(reason);
    throw error;
  };
  if (!Array.isArray(records)) return reject('invalid', new VigilError('bad_data', 'bus send needs an array of records'));
  return records.map((r: unknown, i) => {
    if (typeof r !== 'object' || r === null) return reject('invalid', new VigilError('bad_data', `bus record ${i} is not an object`));
    const { key, value } = r as { key?: unknown; value?: unknown };
    if (typeof key !== 'string') return reject('invalid', new VigilError('bad_data', `bus record ${i} needs a string key`));
    if (!(value instanceof Uint8Array)) return reject('invalid', new VigilError('bad_data', `bus record ${i} needs a Uint8Array value`));
    const keyBytes = Buffer.from(key, 'utf8');
    if (keyBytes.length > MAX_KEY_BYTES) return reject('invalid', new VigilError('bad_data', `bus record ${i} key is ${keyBytes.length} bytes, over ${MAX_KEY_BYTES}`));
    if (value.length > maxRecordBytes) {
      return reject('too_large', new VigilError('payload_too_large', `bus record ${i} is ${value.length} bytes, over ${maxRecordBytes}`));
    }
    return keyBytes;
  });
}
