import { describe, expect, it } from 'vitest';
import { isVigilError } from '../../../core/index.js';
import type { SyslogMessage } from '../../../ingest/index.js';
import { parseSyslog } from '../../../ingest/index.js';

/** Receive time of every case: 2026-12-06T20:00:00Z. */
const RECEIVED_MS = Date.UTC(2026, 11, 6, 20, 0, 0);
const ns = (iso: string, extraNs = 0n): bigint => BigInt(Date.parse(iso)) * 1_000_000n + extraNs;
/** RFC 3164 timestamps are local time: the expected value is computed in the same zone. */
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number): bigint => BigInt(new Date(y, mo, d, h, mi, s).getTime()) * 1_000_000n;

const none = { procId: '', msgId: '', structuredData: {} };

const good: [string, string, Partial<SyslogMessage>][] = [
  [
    'RFC 5424 §6.5 example 1',
    '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{feff}\'su root\' failed for lonvick on /dev/pts/8',
    { format: 'rfc5424', facility: 4, severity: 2, timeNs: ns('2003-10-11T22:14:15.003Z'), hostname: 'mymachine.example.com', appName: 'su', procId: '', msgId: 'ID47', structuredData: {}, message: "'su root' failed for lonvick on /dev/pts/8" },
  ],
  [
    'RFC 5424 §6.5 example 2: offset and microseconds',
    '<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.',
    { facility: 20, severity: 5, timeNs: ns('2003-08-24T12:14:15Z', 3000n), hostname: '192.0.2.1', appName: 'myproc', procId: '8710', message: "%% It's time to make the do-nuts." },
  ],
  [
    'RFC 5424 §6.5 example 3: structured data and message',
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...',
    { appName: 'evntslog', msgId: 'ID47', structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } }, message: 'An application event log entry...' },
  ],
  [
    'RFC 5424 §6.5 example 4: two SD elements, no message',
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
    { structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' }, 'examplePriority@32473': { class: 'high' } }, message: '' },
  ],
  [
    'RFC 5424 escapes in PARAM-VALUE',
    '<13>1 2026-12-06T20:49:11.623167+00:00 vm myapp - - [meta@1 k="v \\"q\\" \\] \\\\ \\n"] x',
    { structuredData: { 'meta@1': { k: 'v "q" ] \\ \\n' } }, message: 'x', timeNs: ns('2026-12-06T20:49:11.623Z', 167_000n) },
  ],
  ['RFC 5424 all NILVALUEs', '<0>1 - - - - - -', { facility: 0, severity: 0, timeNs: undefined, hostname: '', appName: '', ...none, message: '' }],
  ['RFC 5424 nanoseconds kept', '<14>1 2026-01-02T03:04:05.123456789Z h a p m - body', { timeNs: ns('2026-01-02T03:04:05.123Z', 456_789n), procId: 'p', msgId: 'm', message: 'body' }],
  [
    'RFC 3164 from util-linux logger --rfc3164',
    '<27>Dec  6 20:49:11 vm myapp[7697]: hello 3164',
    { format: 'rfc3164', facility: 3, severity: 3, timeNs: local(2026, 11, 6, 20, 49, 11), hostname: 'vm', appName: 'myapp', procId: '7697', msgId: '', structuredData: {}, message: 'hello 3164' },
  ],
  ['RFC 3164 §5.4 example 1', "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", { facility: 4, severity: 2, timeNs: local(2026, 9, 11, 22, 14, 15), hostname: 'mymachine', appName: 'su', procId: '', message: "'su root' failed for lonvick on /dev/pts/8" }],
  ['RFC 3164 without hostname', '<13>Feb  5 17:32:18 sshd[42]: Accepted key', { timeNs: local(2026, 1, 5, 17, 32, 18), hostname: '', appName: 'sshd', procId: '42', message: 'Accepted key' }],
  ['RFC 3164 with an RFC 3339 timestamp (rsyslog)', '<30>2026-12-06T19:00:00.5Z web nginx[1]: GET /', { timeNs: ns('2026-12-06T19:00:00.500Z'), hostname: 'web', appName: 'nginx', procId: '1', message: 'GET /' }],
  ['RFC 3164 with only a PRI: all message', '<13>just text', { timeNs: undefined, hostname: '', appName: '', message: 'just text' }],
  ['a trailing LF inside an octet-counted frame is framing (rsyslog)', '<150>1 2026-12-06T21:59:58+00:00 vm relayed - - -  via rsyslog\n', { message: ' via rsyslog', appName: 'relayed' }],
  ['a trailing CRLF too', '<13>host: text\r\n', { message: 'text' }],
  ['PRI 191 is local7.debug', '<191>x: y', { facility: 23, severity: 7, appName: 'x', message: 'y' }],
];

const bad: [string, string, RegExp][] = [
  ['no PRI', 'hello', /expected "<PRI>"/],
  ['empty', '', /expected "<PRI>"/],
  ['PRI not closed', '<13 hello', /PRI must be 1-3 digits/],
  ['PRI too long', '<0013>1 - - - - - -', /PRI must be 1-3 digits/],
  ['PRI out of range', '<192>1 - - - - - -', /PRI 192 is out of range/],
  ['5424 header cut short', '<13>1 2026-12-06T20:49:11Z host app', /header cut short at APP-NAME/],
  ['5424 bad timestamp', '<13>1 yesterday h a - - - x', /TIMESTAMP "yesterday" is not RFC 3339/],
  ['5424 month 13', '<13>1 2026-13-06T20:49:11Z h a - - - x', /out of range/],
  ['5424 double space', '<13>1 2026-12-06T20:49:11Z  h a - - - x', /HOSTNAME is empty/],
  ['5424 SD not bracketed', '<13>1 - h a - - sd x', /STRUCTURED-DATA must be "-"/],
  ['5424 SD unterminated value', '<13>1 - h a - - [id k="v', /unterminated PARAM-VALUE in \[id\]/],
  ['5424 SD missing ]', '<13>1 - h a - - [id k="v" x', /PARAM-NAME missing|expected ="value"|expected "\]"/],
  ['5424 SD missing space before MSG', '<13>1 - h a - - [id k="v"]x', /expected a space after STRUCTURED-DATA/],
  ['5424 APP-NAME too long', `<13>1 - h ${'a'.repeat(49)} - - - x`, /APP-NAME is longer than 48/],
];

describe('parseSyslog', () => {
  it.each(good)('%s', (_name, text, expected) => {
    expect(parseSyslog(text, RECEIVED_MS)).toMatchObject(expected);
  });

  it('reads December in January as last year', () => {
    const january = Date.UTC(2027, 0, 1, 12);
    expect(parseSyslog('<13>Dec 31 23:59:59 h t: x', january).timeNs).toBe(local(2026, 11, 31, 23, 59, 59));
  });

  it.each(bad)('refuses %s', (_name, text, message) => {
    let error: unknown;
    try {
      parseSyslog(text, RECEIVED_MS);
    } catch (err) {
      error = err;
    }
    expect(isVigilError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
