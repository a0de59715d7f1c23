import { VigilError } from './errors.js';
import { quote } from './quote.js';
import secureJson from 'secure-json-parse';

/**
 * JSON.parse with a nesting limit, for every JSON body Vigil accepts. V8's parser itself copes
 * with deep nesting, but whatever walks the result next (OTLP AnyValue mapping, zod, a JSON
 * re-encoding) recurses and overflows the stack: a request then got a 500 instead of a 400. The
 * depth is checked by a scan without recursion before anything is built, so a 16 MiB body of
 * `[[[[…` is refused after 65 bytes. The scan also refuses the prototype-poisoning keys
 * fastify's own JSON parser refuses (`__proto__`, `constructor.prototype`), since this parser
 * replaces it.
 */

/** Deep enough for OTLP attributes with a dozen levels of nested kvlists. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface SafeJsonOptions {
  /** Most nested objects and arrays (the top-level value counts as level 1). */
  readonly maxDepth?: number;
  /** What the text is, for messages: 'body' gives `body: nesting deeper than …`. */
  readonly what?: string;
}

/** One open object or array: where its current key is in the text, or its current index. */
interface Frame {
  readonly isArray: boolean;
  index: number;
  keyStart: number;
  keyEnd: number;
  expectingKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** The longest key a path shows before cutting it, so a message stays short whatever the keys. */
const PATH_KEY_BYTES = 40;
/** A path this long is cut in the middle: the first levels say where, the last say what. */
const PATH_MAX_CHARS = 300;

/**
 * Returns undefined when `text` nests at most `maxDepth` levels and has no poisoning key, else
 * a message naming the JSON path where it failed. Malformed JSON is not this function's
 * business: it stops at an unterminated string and leaves the syntax error to JSON.parse.
 */
export function checkJsonStructure(text: string, maxDepth: number = DEFAULT_MAX_JSON_DEPTH): string | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      i = stringEnd(text, start);
      if (i >= n) return undefined;
      const top = stack[stack.length - 1];
      if (top !== undefined && !top.isArray && top.expectingKey) {
        top.keyStart = start;
        top.keyEnd = i;
        top.expectingKey = false;
        const poison = poisonKey(text, stack);
        if (poison !== undefined) return `${poison} at ${jsonPath(text, stack)}`;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return `nesting deeper than ${maxDepth} levels at ${jsonPath(text, stack)}`;
      stack.push({ isArray: c === 0x5b, index: 0, keyStart: -1, keyEnd: -1, expectingKey: c === 0x7b });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      if (top.isArray) top.index++;
      else top.expectingKey = true;
    }
  }
  return undefined;
}

/** Index of the closing quote of a string whose content starts at `start` (text.length when none). */
function stringEnd(text: string, start: number): number {
  let i = start;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    // A quote preceded by an odd number of backslashes is escaped.
    let b = q - 1;
    while (b >= start && text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q + 1;
  }
}

function keyOf(text: string, f: Frame): string {
  return text.slice(f.keyStart, f.keyEnd);
}

/** `__proto__` anywhere, or `prototype` inside a `constructor`: what fastify's parser refuses. */
function poisonKey(text: string, stack: readonly Frame[]): string | undefined {
  const top = stack[stack.length - 1] as Frame;
  const len = top.keyEnd - top.keyStart;
  if (len === 9 && keyOf(text, top) === '__proto__') return 'forbidden key "__proto__"';
  if (len === 9 && keyOf(text, top) === 'prototype') {
    const parent = stack[stack.length - 2];
    if (parent !== undefined && !parent.isArray && keyOf(text, parent) === 'constructor') return 'forbidden key "constructor.prototype"';
  }
  return undefined;
}

/** `$.resourceMetrics[0].scopeMetrics[0]…` for the open containers, keys cut short. */
function jsonPath(text: string, stack: readonly Frame[]): string {
  let path = '$';
  for (const f of stack) {
    if (f.isArray) path += `[${f.index}]`;
    else if (f.keyStart >= 0 && !f.expectingKey) {
      const key = keyOf(text, f);
      path += IDENTIFIER.test(key) && key.length <= PATH_KEY_BYTES ? `.${key}` : `[${quote(key, PATH_KEY_BYTES)}]`;
    }
  }
  return path.length <= PATH_MAX_CHARS ? path : `${path.slice(0, PATH_MAX_CHARS / 2)}…${path.slice(-PATH_MAX_CHARS / 2)}`;
}

/**
 * Parses JSON text, refusing deep nesting and poisoning keys first. Throws VigilError
 * 'bad_data' (HTTP 400) naming `what` and the path, or JSON.parse's message for a syntax error.
 */
export function parseJsonSafely(text: string, options: SafeJsonOptions = {}): unknown {
  const what = options.what ?? 'body';
  const problem = checkJsonStructure(text, options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (problem !== undefined) throw new VigilError('bad_data', `${what}: ${problem}`);
  try {
    // secure-json-parse (fastify's own) catches poisoning keys however they are spelt ("\u005f_proto__").
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    if (/forbidden prototype property/.test(message)) throw new VigilError('bad_data', `${what}: forbidden key "__proto__" or "constructor.prototype"`, { cause: err });
    throw new VigilError('bad_data', `malformed JSON ${what}: ${capMessage(message, 200)}`, { cause: err });
  }
}

/** Most bytes of an error message any error handler sends: a safety net behind quote(). */
export const MAX_ERROR_MESSAGE_BYTES = 1024;

/** Cuts a message to at most `maxBytes` UTF-8 bytes, saying so when it cut. */
export function capMessage(message: string, maxBytes: number = MAX_ERROR_MESSAGE_BYTES): string {
  if (message.length <= maxBytes / 3 || Buffer.byteLength(message, 'utf8') <= maxBytes) return message;
  const note = ` … (message cut, ${Buffer.byteLength(message, 'utf8')} bytes)`;
  const room = maxBytes - Buffer.byteLength(note, 'utf8');
  let cut = message.slice(0, room);
  while (Buffer.byteLength(cut, 'utf8') > room) cut = cut.slice(0, -1);
  return cut + note;
}

/**
 * A fastify content-type parser for application/json (register with `parseAs: 'string'`):
 * an empty body is refused as fastify's default parser refuses it, everything else goes
 * through parseJsonSafely. Typed structurally so that core needs no fastify import.
 */
export function safeJsonBodyParser(options: SafeJsonOptions = {}): (req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => void {
  return (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.length === 0) {
      done(new VigilError('bad_data', "body cannot be empty when content-type is set to 'application/json'"));
      return;
    }
    try {
      done(null, parseJsonSafely(text, options));
    } catch (err) {
      done(err as Error);
    }
  };
}
