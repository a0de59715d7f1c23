/**
 * One syslog message after parsing, whichever RFC it came in. Fields the sender left out (RFC
 * 5424's NILVALUE "-", or absent in RFC 3164) are empty strings; a missing timestamp is undefined
 * and the receiver uses the time it read the message.
 */
export interface SyslogMessage {
  readonly format: 'rfc5424' | 'rfc3164';
  /** 0..23 (kern, user, mail, ... local7). */
  readonly facility: number;
  /** 0..7 (emerg ... debug). */
  readonly severity: number;
  /** Nanoseconds since the epoch. */
  readonly timeNs: bigint | undefined;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  /** SD-ID → param name → value (a param repeated in one element keeps its last value). */
  readonly structuredData: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly message: string;
}

/** RFC 5424 §6.2.1 keywords, index = code. */
export const FACILITY_NAMES: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** RFC 5424 §6.2.1 keywords, index = code. */
export const SEVERITY_NAMES: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

/**
 * Syslog severity → OpenTelemetry severity number, as the OpenTelemetry Collector's syslog
 * parser maps it (emerg FATAL4 ... debug DEBUG).
 */
export const OTEL_SEVERITY: readonly number[] = [24, 23, 22, 17, 13, 10, 9, 5];
