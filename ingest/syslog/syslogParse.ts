import { VigilError } from '../../core/index.js';
import type { SyslogMessage } from './syslogMessage.js';

/**
 * Parses one syslog message (one frame, without its framing): RFC 5424 when a version digit
 * follows the PRI (`<34>1 ...`), else RFC 3164 as BSD syslogd, rsyslog and util-linux `logger`
 * write it. `receivedAtMs` fills the year an RFC 3164 timestamp leaves out.
 * Throws VigilError('bad_data') naming what is wrong; never anything else.
 */
export function parseSyslog(text: string, receivedAtMs: number): SyslogMessage {
  // Senders that count octets often still end the message with LF (rsyslog's templates do): framing, not text.
  if (text.charCodeAt(text.length - 1) === 0x0a) text = text.slice(0, text.charCodeAt(text.length - 2) === 0x0d ? -2 : -1);
  const pri = readPri(text);
  const rest = pri.end;
  // "<PRI>1 " — RFC 5424's VERSION is 1..999 followed by a space.
  let v = rest;
  while (v < text.length && v - rest < 3 && isDigit(text.charCodeAt(v))) v++;
  if (v > rest && text.charCodeAt(v) === SPACE && text.charCodeAt(rest) !== 0x30) return parse5424(text, v + 1, pri.value);
  return parse3164(text, rest, pri.value, receivedAtMs);
}

const SPACE = 0x20;
const NIL = '-';

function fail(what: string): never {
  throw new VigilError('bad_data', `syslog: ${what}`);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `<PRI>`: 1-3 digits, 0..191 (facility * 8 + severity). */
function readPri(text: string): { value: number; end: number } {
  if (text.charCodeAt(0) !== 0x3c) fail(`expected "<PRI>" at the start of the message, got ${sample(text, 0)}`);
  let i = 1;
  let value = 0;
  while (i < text.length && i <= 3 && isDigit(text.charCodeAt(i))) value = value * 10 + text.charCodeAt(i++) - 0x30;
  if (i === 1 || text.charCodeAt(i) !== 0x3e) fail(`PRI must be 1-3 digits closed by ">", got ${sample(text, 0)}`);
  if (value > 191) fail(`PRI ${value} is out of range (0-191)`);
  return { value, end: i + 1 };
}

function sample(text: string, at: number): string {
  const s = text.slice(at, at + 32);
  return JSON.stringify(text.length - at > 32 ? `${s}...` : s);
}

// ---- RFC 5424 ----

class Fields {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }
  /** The next SP-terminated header field (PRINTUSASCII, at most maxLength characters). */
  field(name: string, maxLength: number): string {
    const { text } = this;
    const end = text.indexOf(' ', this.pos);
    if (end < 0) fail(`header cut short at ${name} (RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG])`);
    if (end === this.pos) fail(`${name} is empty (two spaces at offset ${this.pos})`);
    if (end - this.pos > maxLength) fail(`${name} is longer than ${maxLength} characters`);
    const value = text.slice(this.pos, end);
    this.pos = end + 1;
    return value === NIL ? '' : value;
  }
}

function parse5424(text: string, start: number, pri: number): SyslogMessage {
  const f = new Fields(text, start);
  const timestamp = f.field('TIMESTAMP', 40);
  const hostname = f.field('HOSTNAME', 255);
  const appName = f.field('APP-NAME', 48);
  const procId = f.field('PROCID', 128);
  // MSGID may be the last header field of a message with neither SD nor MSG ("... ID47 -").
  const msgId = f.field('MSGID', 32);
  const timeNs = timestamp === '' ? undefined : parseRfc3339(timestamp);
  const { data, end } = readStructuredData(text, f.pos);
  let message = '';
  if (end < text.length) {
    if (text.charCodeAt(end) !== SPACE) fail(`expected a space after STRUCTURED-DATA at offset ${end}, got ${sample(text, end)}`);
    message = text.slice(end + 1);
    // RFC 5424 §6.4: a UTF-8 MSG may start with a BOM; it is not part of the text.
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  }
  return { format: 'rfc5424', facility: pri >> 3, severity: pri & 7, timeNs, hostname, appName, procId, msgId, structuredData: data, message };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC 3339 (RFC 5424 §6.2.3) to nanoseconds, keeping up to 9 fraction digits exactly. */
export function parseRfc3339(ts: string): bigint {
  const m = RFC3339.exec(ts);
  if (m === null) fail(`TIMESTAMP ${JSON.stringify(ts.slice(0, 40))} is not RFC 3339 (e.g. 2003-10-11T22:14:15.003Z)`);
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) fail(`TIMESTAMP ${JSON.stringify(ts)} has a field out of range`);
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (zone !== 'Z' && zone !== 'z') {
    const offsetMin = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    ms -= (zone[0] === '-' ? -1 : 1) * offsetMin * 60_000;
  }
  const nanos = frac === undefined ? 0n : BigInt(frac.padEnd(9, '0'));
  return BigInt(ms) * 1_000_000n + nanos;
}

/** STRUCTURED-DATA: "-" or one or more `[SD-ID *(SP PARAM-NAME="PARAM-VALUE")]`. */
function readStructuredData(text: string, start: number): { data: Record<string, Record<string, string>>; end: number } {
  const data: Record<string, Record<string, string>> = {};
  if (text.charCodeAt(start) === 0x2d /* - */) return { data, end: start + 1 };
  if (text.charCodeAt(start) !== 0x5b /* [ */) fail(`STRUCTURED-DATA must be "-" or start with "[", got ${sample(text, start)}`);
  let i = start;
  while (text.charCodeAt(i) === 0x5b) {
    i++;
    const idEnd = nameEnd(text, i);
    if (idEnd === i) fail(`SD-ID missing at offset ${i}`);
    const id = text.slice(i, idEnd);
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    i = idEnd;
    while (text.charCodeAt(i) === SPACE) {
      i++;
      const nEnd = nameEnd(text, i);
      if (nEnd === i) fail(`PARAM-NAME missing in [${id}] at offset ${i}`);
      const name = text.slice(i, nEnd);
      if (text.charCodeAt(nEnd) !== 0x3d || text.charCodeAt(nEnd + 1) !== 0x22) fail(`expected ="value" after ${name} in [${id}]`);
      const { value, end } = readParamValue(text, nEnd + 2, id);
      params[name] = value;
      i = end;
    }
    if (text.charCodeAt(i) !== 0x5d) fail(`expected "]" closing [${id} at offset ${i}, got ${sample(text, i)}`);
    i++;
    data[id] = { ...params };
  }
  return { data, end: i };
}

/** SD-NAME: 1-32 PRINTUSASCII except '=', SP, ']' and '"'. */
function nameEnd(text: string, i: number): number {
  const start = i;
  while (i < text.length && i - start < 32) {
    const c = text.charCodeAt(i);
    if (c <= SPACE || c >= 0x7f || c === 0x3d || c === 0x5d || c === 0x22) break;
    i++;
  }
  return i;
}

/** PARAM-VALUE after its opening quote: `\"`, `\\` and `\]` are escapes; any other backslash is kept. */
function readParamValue(text: string, i: number, id: string): { value: string; end: number } {
  let value = '';
  let from = i;
  for (;;) {
    if (i >= text.length) fail(`unterminated PARAM-VALUE in [${id}]`);
    const c = text.charCodeAt(i);
    if (c === 0x22) return { value: value + text.slice(from, i), end: i + 1 };
    if (c === 0x5c && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x22 || next === 0x5c || next === 0x5d) {
        value += text.slice(from, i);
        from = i + 1;
        i += 2;
        continue;
      }
    }
    i++;
  }
}

// ---- RFC 3164 ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Mmm dd hh:mm:ss" (day space-padded), RFC 3164 §4.1.2. */
const BSD_TIME = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) /;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) /i;
/** TAG[PID]: — the tag is what syslog(3) callers pass as ident. */
const TAG = /^([^\s[\]:]{1,48})(?:\[([^\]\s]{1,128})\])?: ?/;

/**
 * RFC 3164 is a description of practice, not a grammar: the timestamp (local time, no year) and
 * hostname may be missing; rsyslog may send an RFC 3339 timestamp instead. What cannot be
 * recognised stays in the message.
 */
function parse3164(text: string, start: number, pri: number, receivedAtMs: number): SyslogMessage {
  let rest = text.slice(start);
  let timeNs: bigint | undefined;
  let hostname = '';
  const bsd = BSD_TIME.exec(rest);
  const iso = bsd === null ? ISO_TIME.exec(rest) : null;
  if (bsd !== null) {
    timeNs = bsdTime(bsd, receivedAtMs);
    rest = rest.slice(bsd[0].length);
  } else if (iso !== null) {
    timeNs = parseRfc3339(iso[1] as string);
    rest = rest.slice(iso[0].length);
  }
  if (timeNs !== undefined) {
    // A hostname follows the timestamp unless the next word is already the tag ("app[12]:" / "app:").
    const sp = rest.indexOf(' ');
    const word = sp < 0 ? rest : rest.slice(0, sp);
    if (sp > 0 && sp <= 255 && !word.endsWith(':') && !word.includes('[')) {
      hostname = word;
      rest = rest.slice(sp + 1);
    }
  }
  let appName = '';
  let procId = '';
  const tag = TAG.exec(rest);
  if (tag !== null) {
    appName = tag[1] as string;
    procId = tag[2] ?? '';
    rest = rest.slice(tag[0].length);
  }
  return { format: 'rfc3164', facility: pri >> 3, severity: pri & 7, timeNs, hostname, appName, procId, msgId: '', structuredData: {}, message: rest };
}

/** A BSD timestamp in this host's time zone, in the receive time's year unless that puts it in the future. */
function bsdTime(m: RegExpExecArray, receivedAtMs: number): bigint {
  const month = MONTHS.indexOf(m[1] as string);
  const day = Number((m[2] as string).trim());
  const [h, mi, s] = [Number(m[3]), Number(m[4]), Number(m[5])];
  if (month < 0 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) fail(`timestamp ${JSON.stringify(m[0].trim())} is not "Mmm dd hh:mm:ss"`);
  const year = new Date(receivedAtMs).getFullYear();
  let ms = new Date(year, month, day, h, mi, s).getTime();
  // December's messages read in January belong to last year (a week's grace for a sender's fast clock).
  if (ms - receivedAtMs > 7 * 86_400_000) ms = new Date(year - 1, month, day, h, mi, s).getTime();
  return BigInt(ms) * 1_000_000n;
}
