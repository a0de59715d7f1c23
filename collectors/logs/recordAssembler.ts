import { RE2JS } from 're2js';
import type { Line } from './fileTail.js';
import { parseContainerLine } from './kubernetesLog.js';

/** A log record made of one or more lines of a file. */
export interface AssembledRecord {
  readonly body: string;
  /** From the line's own timestamp (container logs); undefined for plain files. */
  readonly timeNs: bigint | undefined;
  /** log.iostream for container logs. */
  readonly stream: string | undefined;
  /** Offset just after the record's last line. */
  readonly endOffset: number;
}

export interface MultilineOptions {
  /** RE2 pattern a record's first line matches (e.g. `^\d{4}-\d{2}-\d{2}` or `^\S`); other lines continue the record before them. */
  readonly firstLine: string;
  /** A record is cut after this many lines (default 500). */
  readonly maxLines?: number;
  /** A record waiting for more lines is sent after this long without any (default 3 s). */
  readonly timeoutMs?: number;
}

interface Pending {
  parts: string[];
  timeNs: bigint | undefined;
  stream: string | undefined;
  startOffset: number;
  endOffset: number;
  lastAt: number;
}

/**
 * Turns a file's lines into records, in two optional stages: container-log decoding (CRI or
 * Docker JSON, partial pieces joined) and multi-line joining (a start-of-record regex). Keeps what
 * is not complete yet; `safeOffset` is where reading would have to resume after a restart to lose
 * nothing of it (the start of the oldest incomplete record).
 */
export class RecordAssembler {
  private readonly firstLine: RE2JS | undefined;
  private readonly maxLines: number;
  private readonly timeoutMs: number;
  private partial: Pending | undefined;
  private multi: Pending | undefined;
  private lastEnd: number;

  constructor(
    private readonly container: boolean,
    multiline: MultilineOptions | undefined,
    startOffset: number,
  ) {
    // Compiled once per file; a bad pattern was refused when the configuration was read.
    this.firstLine = multiline === undefined ? undefined : RE2JS.compile(multiline.firstLine);
    this.maxLines = multiline?.maxLines ?? 500;
    this.timeoutMs = multiline?.timeoutMs ?? 3000;
    this.lastEnd = startOffset;
  }

  get safeOffset(): number {
    return Math.min(this.partial?.startOffset ?? Infinity, this.multi?.startOffset ?? Infinity, this.lastEnd);
  }

  push(lines: readonly Line[], nowMs: number): AssembledRecord[] {
    const out: AssembledRecord[] = [];
    let start = this.lastEnd;
    for (const line of lines) {
      this.lastEnd = line.endOffset;
      if (!this.container) this.joinMultiline({ body: line.text, timeNs: undefined, stream: undefined, endOffset: line.endOffset }, start, nowMs, out);
      else {
        const c = parseContainerLine(line.text);
        // A line in neither format is kept as it is rather than lost.
        if (c === undefined) this.joinMultiline({ body: line.text, timeNs: undefined, stream: undefined, endOffset: line.endOffset }, start, nowMs, out);
        else {
          const p = this.partial ?? { parts: [], timeNs: c.timeNs, stream: c.stream, startOffset: start, endOffset: line.endOffset, lastAt: nowMs };
          p.parts.push(c.content);
          p.endOffset = line.endOffset;
          this.partial = c.partial ? p : undefined;
          if (!c.partial) this.joinMultiline({ body: p.parts.join(''), timeNs: p.timeNs, stream: p.stream, endOffset: line.endOffset }, p.startOffset, nowMs, out);
        }
      }
      start = line.endOffset;
    }
    return out;
  }

  /** Sends a multi-line record that waited longer than the timeout, or everything when `all` (end of file). */
  flush(nowMs: number, all: boolean): AssembledRecord[] {
    const out: AssembledRecord[] = [];
    if (all && this.partial !== undefined) {
      const p = this.partial;
      this.partial = undefined;
      this.joinMultiline({ body: p.parts.join(''), timeNs: p.timeNs, stream: p.stream, endOffset: p.endOffset }, p.startOffset, nowMs, out);
    }
    if (this.multi !== undefined && (all || nowMs - this.multi.lastAt >= this.timeoutMs)) out.push(this.emit());
    return out;
  }

  private joinMultiline(r: AssembledRecord, startOffset: number, nowMs: number, out: AssembledRecord[]): void {
    if (this.firstLine === undefined) {
      out.push(r);
      return;
    }
    const m = this.multi;
    if (m !== undefined && !this.firstLine.test(r.body) && m.parts.length < this.maxLines) {
      m.parts.push(r.body);
      m.endOffset = r.endOffset;
      m.lastAt = nowMs;
      return;
    }
    if (m !== undefined) out.push(this.emit());
    this.multi = { parts: [r.body], timeNs: r.timeNs, stream: r.stream, startOffset, endOffset: r.endOffset, lastAt: nowMs };
  }

  private emit(): AssembledRecord {
    const m = this.multi as Pending;
    this.multi = undefined;
    return { body: m.parts.join('\n'), timeNs: m.timeNs, stream: m.stream, endOffset: m.endOffset };
  }
}
