/**
 * Kubernetes container logs as the kubelet writes them: /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log,
 * each line in the CRI format (`<RFC3339Nano time> <stdout|stderr> <P|F> <content>`, containerd and
 * CRI-O) or Docker's json-file format (`{"log":"…\n","stream":"stdout","time":"…"}`). A long line is
 * split by the runtime into partial pieces (CRI tag P; JSON `log` without its trailing newline)
 * that end with a full one (F; `log` ending in "\n"). Pure.
 */
export interface PodLogPath {
  readonly namespace: string;
  readonly pod: string;
  readonly podUid: string;
  readonly container: string;
}

// Namespace and pod names are DNS labels/subdomains: no '_' in them, so the split is unambiguous.
const podDir = /\/([^/_]+)_([^/_]+)_([0-9a-f-]{36})\/([^/]+)\/[^/]+\.log$/;

export function parsePodLogPath(path: string): PodLogPath | undefined {
  const m = podDir.exec(path);
  if (m === null) return undefined;
  return { namespace: m[1] as string, pod: m[2] as string, podUid: m[3] as string, container: m[4] as string };
}

export interface ContainerLine {
  /** Nanoseconds since the epoch, from the runtime's timestamp. */
  readonly timeNs: bigint;
  readonly stream: string;
  /** More pieces of the same line follow. */
  readonly partial: boolean;
  readonly content: string;
}

/** One line of a container log in either format; undefined when it is neither. */
export function parseContainerLine(line: string): ContainerLine | undefined {
  return line.startsWith('{') ? parseDockerJson(line) : parseCri(line);
}

function parseCri(line: string): ContainerLine | undefined {
  const s1 = line.indexOf(' ');
  const s2 = line.indexOf(' ', s1 + 1);
  if (s1 < 0 || s2 < 0) return undefined;
  const s3 = line.indexOf(' ', s2 + 1);
  const tag = s3 < 0 ? line.slice(s2 + 1) : line.slice(s2 + 1, s3);
  const timeNs = parseRfc3339Nanos(line.slice(0, s1));
  const stream = line.slice(s1 + 1, s2);
  // The tag may carry more fields after ':' in future runtimes (e.g. "F:x"); its first letter is P or F.
  const kind = tag.split(':')[0];
  if (timeNs === undefined || (stream !== 'stdout' && stream !== 'stderr') || (kind !== 'P' && kind !== 'F')) return undefined;
  return { timeNs, stream, partial: kind === 'P', content: s3 < 0 ? '' : line.slice(s3 + 1) };
}

function parseDockerJson(line: string): ContainerLine | undefined {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof j !== 'object' || j === null) return undefined;
  const { log, stream, time } = j as Record<string, unknown>;
  if (typeof log !== 'string' || typeof time !== 'string') return undefined;
  const timeNs = parseRfc3339Nanos(time);
  if (timeNs === undefined) return undefined;
  const partial = !log.endsWith('\n');
  return { timeNs, stream: typeof stream === 'string' ? stream : 'stdout', partial, content: partial ? log : log.slice(0, -1) };
}

/** RFC 3339 with up to nanosecond fractions and a zone (Z or ±hh:mm) → ns since the epoch. */
export function parseRfc3339Nanos(s: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
