import type protobuf from 'protobufjs';
import { OtlpCursor } from './otlpCursor.js';
import { readAnyValueAsText } from './otlpValues.js';

/**
 * A hand-written decoder for NumberDataPoint, the message every gauge and sum sample arrives in,
 * installed in place of protobufjs' generated one (parents call `types[i].decode`). It skips
 * what the mapper never reads (start time, exemplars), reads time_unix_nano straight into whole
 * milliseconds (TIME_MS) instead of allocating Long objects, and reads the attributes straight
 * into [key, text, ...] pairs (ATTRIBUTE_PAIRS) instead of KeyValue and AnyValue messages: about
 * half the allocations per point. Symbols cannot come from a JSON body, so JSON points always
 * take the general path; the JSON-vs-protobuf tests hold the two paths equal.
 */
export const TIME_MS: unique symbol = Symbol('timeMs');
export const ATTRIBUTE_PAIRS: unique symbol = Symbol('attributePairs');

export interface FastNumberDataPoint {
  flags: number;
  asDouble?: number;
  asInt?: number;
  [TIME_MS]: number;
  [ATTRIBUTE_PAIRS]: string[];
}

const TWO_32 = 4294967296;

function readFixed32(r: protobuf.Reader): number {
  return r.fixed32();
}

/** Exact floor(ns / 1e6) of an unsigned 64-bit value given as its two 32-bit halves. */
export function nanosHalvesToMs(low: number, high: number): number {
  // ns = high*2^32 + low and 2^32 = 4294*1e6 + 967296: each step stays below 2^53.
  return high * 4294 + Math.floor((high * 967296 + low) / 1e6);
}

/**
 * An AnyValue as label text, read in place for scalars. Arrays, maps and bytes are rare in data
 * point attributes: they are decoded with the generated decoder and converted as JSON ones are.
 */
function readAnyValueText(r: protobuf.Reader, length: number, anyValue: protobuf.Type): string {
  const start = r.pos;
  const end = start + length;
  let text = '';
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        text = r.string();
        break;
      case 2:
        text = r.bool() ? 'true' : 'false';
        break;
      case 3:
        text = String(r.int64()); // a Long (or a number) as decimal text
        break;
      case 4:
        text = String(r.double());
        break;
      case 5:
      case 6:
      case 7: {
        r.pos = start;
        return readAnyValueAsText(anyValue.decode(r, length), new OtlpCursor(), 'value');
      }
      default:
        r.skipType(tag & 7);
    }
  }
  return text;
}

function readKeyValueInto(r: protobuf.Reader, length: number, pairs: string[], anyValue: protobuf.Type): void {
  const end = r.pos + length;
  let key = '';
  let text = '';
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        key = r.string();
        break;
      case 2:
        text = readAnyValueText(r, r.uint32(), anyValue);
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  pairs.push(key, text);
}

/** Installs the decoder on the NumberDataPoint type; `anyValue` decodes complex attribute values. */
export function installFastNumberDataPoint(numberDataPoint: protobuf.Type, anyValue: protobuf.Type): void {
  numberDataPoint.setup();
  anyValue.setup();
  numberDataPoint.decode = function decodeNumberDataPoint(reader: protobuf.Reader | Uint8Array, length?: number): protobuf.Message {
    const r = reader as protobuf.Reader;
    const end = length === undefined ? r.len : r.pos + length;
    const point: FastNumberDataPoint = { flags: 0, [TIME_MS]: 0, [ATTRIBUTE_PAIRS]: [] };
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 7:
          readKeyValueInto(r, r.uint32(), point[ATTRIBUTE_PAIRS], anyValue);
          break;
        case 3: {
          const low = readFixed32(r);
          const high = readFixed32(r);
          point[TIME_MS] = nanosHalvesToMs(low, high);
          break;
        }
        case 4:
          point.asDouble = r.double();
          delete point.asInt; // a oneof: the last member on the wire wins
          break;
        case 6: {
          const low = readFixed32(r);
          const high = readFixed32(r) | 0; // signed
          point.asInt = high * TWO_32 + low;
          delete point.asDouble;
          break;
        }
        case 8:
          point.flags = r.uint32();
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    return point as unknown as protobuf.Message;
  };
}
