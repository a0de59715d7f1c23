import type protobuf from 'protobufjs';

/**
 * AnyValue is the one recursive message of OTLP (arrays and kvlists of AnyValues), and
 * protobufjs decodes it recursively: a 16 MiB body nests about four million levels, far past
 * the stack. Its decoder is wrapped to count the AnyValues open at once and refuse a body
 * beyond MAX_ANY_VALUE_DEPTH with an error decodeProtobuf turns into a 400. JSON bodies have the
 * same bound through limits.maxJsonDepth (one AnyValue level is four JSON levels).
 */
export const MAX_ANY_VALUE_DEPTH = 32;

export class NestingTooDeepError extends Error {
  constructor(what: string, max: number) {
    super(`${what} nesting deeper than ${max} levels`);
    this.name = 'NestingTooDeepError';
  }
}

/** Wraps `anyValue`'s decoder (after setup, and after any decoder installed in its place) with a depth count. */
export function boundAnyValueDepth(anyValue: protobuf.Type, maxDepth: number = MAX_ANY_VALUE_DEPTH): void {
  anyValue.setup();
  const decode = anyValue.decode.bind(anyValue);
  let depth = 0;
  anyValue.decode = function decodeAnyValueBounded(reader: protobuf.Reader | Uint8Array, length?: number): protobuf.Message {
    if (depth >= maxDepth) throw new NestingTooDeepError('AnyValue', maxDepth);
    depth++;
    try {
      return decode(reader, length);
    } finally {
      depth--;
    }
  };
}
