import type { AttributeValue } from '../../core/index.js';
import type { OtlpCursor } from './otlpCursor.js';

/**
 * Readers for OTLP fields that accept both decodings of a request: protobufjs messages (64-bit
 * integers as Long, bytes as Uint8Array, unset fields inherited from the prototype) and OTLP
 * JSON (64-bit integers as decimal strings or numbers, trace/span ids as hex, other bytes as
 * base64). Each either returns the value or fails with the field's path.
 */

export type OtlpObject = Record<string, unknown>;

interface LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned?: boolean;
  toString(): string;
}

export const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';
}

const UINT_TEXT = /^\d{1,20}$/;
const INT_TEXT = /^-?\d{1,20}$/;

/** A nested message: undefined when absent. */
export function readObject(v: unknown, cur: OtlpCursor, field: string): OtlpObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) cur.fail(field, 'an object', v);
  return v as OtlpObject;
}

/** A repeated field: empty when absent. */
export function readArray(v: unknown, cur: OtlpCursor, field: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) cur.fail(field, 'an array', v);
  return v;
}

export function readString(v: unknown, cur: OtlpCursor, field: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return cur.fail(field, 'a string', v);
}

export function readBool(v: unknown, cur: OtlpCursor, field: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  return cur.fail(field, 'a boolean', v);
}

/** An enum or 32-bit integer; JSON may also name an enum value (`names`). */
export function readEnum(v: unknown, cur: OtlpCursor, field: string, names: readonly string[] = []): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
  }
  return cur.fail(field, names.length > 0 ? `an integer or one of ${names.join(', ')}` : 'an integer', v);
}

/** Nanoseconds since the epoch (fixed64) as whole milliseconds, exactly (floor). */
export function readNanosAsMs(v: unknown, cur: OtlpCursor, field: string): number {
  if (isLong(v)) {
    // ns = hi*2^32 + lo and 2^32 = 4294*1e6 + 967296: split so every step stays below 2^53.
    const hi = v.high >>> 0;
    return hi * 4294 + Math.floor((hi * 967296 + (v.low >>> 0)) / 1e6);
  }
  if (typeof v === 'string') {
    if (!UINT_TEXT.test(v)) cur.fail(field, 'nanoseconds as a decimal string', v);
    return v.length > 6 ? Number(v.slice(0, -6)) : 0;
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) cur.fail(field, 'a non-negative integer of nanoseconds', v);
    return Math.floor(v / 1e6);
  }
  if (v === undefined || v === null) return 0;
  return cur.fail(field, 'nanoseconds as a decimal string or number', v);
}

/** Nanoseconds since the epoch (fixed64), exactly. */
export function readNanosAsBigint(v: unknown, cur: OtlpCursor, field: string): bigint {
  if (isLong(v)) return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  if (typeof v === 'string') {
    if (!UINT_TEXT.test(v)) cur.fail(field, 'nanoseconds as a decimal string', v);
    return BigInt(v);
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) cur.fail(field, 'a non-negative integer of nanoseconds (use a string above 2^53)', v);
    return BigInt(v);
  }
  if (v === undefined || v === null) return 0n;
  return cur.fail(field, 'nanoseconds as a decimal string or number', v);
}

/** A 64-bit integer (signed or not) as a float64, as Prometheus stores it. */
export function readInt64AsNumber(v: unknown, cur: OtlpCursor, field: string): number {
  if (isLong(v)) return v.unsigned === true || v.high >= 0 ? (v.high >>> 0) * 4294967296 + (v.low >>> 0) : v.high * 4294967296 + (v.low >>> 0);
  if (typeof v === 'string') {
    if (!INT_TEXT.test(v)) cur.fail(field, 'an integer as a decimal string', v);
    return Number(v);
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) cur.fail(field, 'an integer', v);
    return v;
  }
  if (v === undefined || v === null) return 0;
  return cur.fail(field, 'an integer as a decimal string or number', v);
}

/** A double; proto3 JSON spells the non-finite ones as strings. */
export function readDouble(v: unknown, cur: OtlpCursor, field: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = v.trim().length > 0 ? Number(v) : NaN;
    if (!Number.isNaN(n)) return n;
  }
  if (v === undefined || v === null) return 0;
  return cur.fail(field, 'a number (or "NaN", "Infinity", "-Infinity")', v);
}

const HEX = /^[0-9a-fA-F]*$/;

/** A trace id (16 bytes) or span id (8 bytes) as lower-case hex; empty when absent. */
export function readIdAsHex(v: unknown, bytes: number, cur: OtlpCursor, field: string): string {
  if (v === undefined || v === null) return '';
  // protobufjs' default for an unset bytes field is an empty array.
  if (Array.isArray(v) && v.length === 0) return '';
  if (v instanceof Uint8Array) {
    if (v.length === 0) return '';
    if (v.length !== bytes) cur.fail(field, `${bytes} bytes`, `${v.length} bytes`);
    return Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
  }
  if (typeof v === 'string') {
    if (v.length === 0) return '';
    if (v.length !== bytes * 2 || !HEX.test(v)) cur.fail(field, `${bytes * 2} hex characters`, v);
    return v.toLowerCase();
  }
  return cur.fail(field, 'a hex string', v);
}

/** Which member of an AnyValue is set, for both decodings. */
function anyValueMember(o: OtlpObject): string | undefined {
  if (hasOwn(o, 'stringValue')) return 'stringValue';
  if (hasOwn(o, 'intValue')) return 'intValue';
  if (hasOwn(o, 'doubleValue')) return 'doubleValue';
  if (hasOwn(o, 'boolValue')) return 'boolValue';
  if (hasOwn(o, 'arrayValue')) return 'arrayValue';
  if (hasOwn(o, 'kvlistValue')) return 'kvlistValue';
  if (hasOwn(o, 'bytesValue')) return 'bytesValue';
  return undefined;
}

/** An AnyValue as a JSON-compatible attribute value (bytes as base64, big integers as strings). */
export function readAnyValue(v: unknown, cur: OtlpCursor, field: string): AttributeValue {
  const o = readObject(v, cur, field);
  if (o === undefined) return null;
  switch (anyValueMember(o)) {
    case 'stringValue':
      return readString(o.stringValue, cur, `${field}.stringValue`);
    case 'intValue': {
      const n = readInt64AsNumber(o.intValue, cur, `${field}.intValue`);
      return Number.isSafeInteger(n) ? n : isLong(o.intValue) ? o.intValue.toString() : String(o.intValue);
    }
    case 'doubleValue': {
      const d = readDouble(o.doubleValue, cur, `${field}.doubleValue`);
      return Number.isFinite(d) ? d : String(d);
    }
    case 'boolValue':
      return readBool(o.boolValue, cur, `${field}.boolValue`);
    case 'arrayValue': {
      const arr = readObject(o.arrayValue, cur, `${field}.arrayValue`);
      return readArray(arr?.values, cur, `${field}.arrayValue.values`).map((x, i) => readAnyValue(x, cur, `${field}.arrayValue.values[${i}]`));
    }
    case 'kvlistValue': {
      const list = readObject(o.kvlistValue, cur, `${field}.kvlistValue`);
      return readKeyValues(list?.values, cur, `${field}.kvlistValue.values`);
    }
    case 'bytesValue': {
      const b = o.bytesValue;
      if (b instanceof Uint8Array) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
      return readString(b, cur, `${field}.bytesValue`);
    }
    default:
      return null;
  }
}

/** A repeated KeyValue as an object; later duplicates win. */
export function readKeyValues(v: unknown, cur: OtlpCursor, field: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  const list = readArray(v, cur, field);
  for (let i = 0; i < list.length; i++) {
    const kv = readObject(list[i], cur, `${field}[${i}]`);
    if (kv === undefined) continue;
    const key = readString(kv.key, cur, `${field}[${i}].key`);
    out[key] = readAnyValue(kv.value, cur, `${field}[${i}].value`);
  }
  return out;
}

/** An AnyValue as a label value: scalars as text, arrays and maps as JSON. */
export function readAnyValueAsText(v: unknown, cur: OtlpCursor, field: string): string {
  const o = readObject(v, cur, field);
  if (o === undefined) return '';
  if (typeof o.stringValue === 'string' && hasOwn(o, 'stringValue')) return o.stringValue;
  const value = readAnyValue(o, cur, field);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? '' : JSON.stringify(value);
}
