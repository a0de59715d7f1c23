import type { MetricMetadata, MetricType } from '../../core/index.js';
import { ExpositionError } from './expositionError.js';
import { parseGoFloat, parseIntMs } from './parseNumber.js';

/** Prometheus text format 0.0.4, or OpenMetrics 1.0 (which adds UNIT, `# EOF`, exemplars, float-second timestamps). */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Bounds on one exposition: whatever an exporter sends, parsing it costs at most this much. */
export interface ExpositionLimits {
  /** Longest line, in characters. */
  readonly maxLineLength: number;
  /** Most labels on one sample, its name included (as limits.maxLabelsPerSeries counts). */
  readonly maxLabelsPerSeries: number;
  readonly maxLabelNameLength: number;
  readonly maxLabelValueLength: number;
  /** Most samples in one exposition; 0 means no bound. */
  readonly maxSamples: number;
}

export const DEFAULT_EXPOSITION_LIMITS: ExpositionLimits = {
  maxLineLength: 1024 * 1024,
  maxLabelsPerSeries: 40,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 4096,
  maxSamples: 0,
};

export interface ExpositionSample {
  /** The sample's labels with its metric name as `__name__`: a fresh object the caller may change. */
  readonly labels: Record<string, string>;
  /** NaN and ±Inf as written. */
  readonly value: number;
  /** Milliseconds since the epoch, or undefined when the line carries no timestamp. */
  readonly timestampMs: number | undefined;
}

export interface ParsedExposition {
  readonly samples: ExpositionSample[];
  /** One entry per family that had a HELP, TYPE or UNIT line. */
  readonly metadata: MetricMetadata[];
}

const TEXT_TYPES: Readonly<Record<string, MetricType>> = { counter: 'counter', gauge: 'gauge', histogram: 'histogram', summary: 'summary', untyped: 'unknown' };
const OPENMETRICS_TYPES: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'gaugehistogram',
  summary: 'summary',
  info: 'info',
  stateset: 'stateset',
  unknown: 'unknown',
};

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = 123; // {
const CLOSE = 125; // }
const COMMA = 44;
const EQUALS = 61;
const CR = 13;

function isNameStart(c: number, colonAllowed: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colonAllowed && c === 58);
}

function isNameChar(c: number, colonAllowed: boolean): boolean {
  return isNameStart(c, colonAllowed) || (c >= 48 && c <= 57);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

interface MutableMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

/**
 * Parses a whole exposition (Prometheus text 0.0.4 or OpenMetrics 1.0) as Prometheus 2.42 does:
 * HELP/TYPE (and UNIT) metadata, escapes in label values and HELP, timestamps, NaN/±Inf,
 * histogram and summary series as plain samples, OpenMetrics' `# EOF`; exemplars are checked
 * for their opening and skipped. The first problem throws an ExpositionError naming the line.
 *
 * One pass over the string with charCodeAt: no regular expression and no split per line, since
 * a scrape of a large exporter is tens of thousands of lines every few seconds.
 */
export function parseExposition(text: string, format: ExpositionFormat, limits: ExpositionLimits = DEFAULT_EXPOSITION_LIMITS): ParsedExposition {
  return new ExpositionParser(text, format, limits).parse();
}

class ExpositionParser {
  private pos = 0;
  private end = 0;
  private lineNo = 0;
  private readonly openMetrics: boolean;
  private readonly samples: ExpositionSample[] = [];
  private readonly families = new Map<string, MutableMetadata>();

  constructor(
    private readonly text: string,
    format: ExpositionFormat,
    private readonly limits: ExpositionLimits,
  ) {
    this.openMetrics = format === 'openmetrics';
  }

  parse(): ParsedExposition {
    const { text } = this;
    const len = text.length;
    let sawEof = false;
    while (this.pos < len) {
      this.lineNo++;
      let end = text.indexOf('\n', this.pos);
      if (end === -1) end = len;
      const next = end + 1;
      if (end > this.pos && text.charCodeAt(end - 1) === CR) end--;
      if (end - this.pos > this.limits.maxLineLength) this.fail(`line is longer than the limit of ${this.limits.maxLineLength} characters`);
      if (sawEof) this.fail('content after "# EOF"', text.slice(this.pos, end));
      this.end = end;
      sawEof = this.line();
      this.pos = next;
    }
    if (this.openMetrics && !sawEof) throw new ExpositionError(this.lineNo, 'OpenMetrics exposition does not end with "# EOF"');
    const metadata: MetricMetadata[] = [];
    for (const [name, m] of this.families) metadata.push({ metricFamilyName: name, type: m.type, help: m.help, unit: m.unit });
    return { samples: this.samples, metadata };
  }

  /** One line between pos and end; true when it was OpenMetrics' `# EOF`. */
  private line(): boolean {
    if (!this.openMetrics) this.skipBlanks();
    if (this.pos === this.end) {
      if (this.openMetrics) this.fail('empty line (OpenMetrics allows none)');
      return false;
    }
    if (this.text.charCodeAt(this.pos) === HASH) return this.comment();
    this.sample();
    return false;
  }

  private comment(): boolean {
    const { text } = this;
    this.pos++; // '#'
    if (this.pos === this.end || !isBlank(text.charCodeAt(this.pos))) {
      if (this.openMetrics) this.fail('expected "# HELP", "# TYPE", "# UNIT" or "# EOF"', this.rest());
      return false;
    }
    if (this.openMetrics) this.pos++;
    else this.skipBlanks();
    const keyword = this.token();
    if (this.openMetrics && keyword === 'EOF') {
      if (this.pos !== this.end) this.fail('unexpected text after "# EOF"', this.rest());
      return true;
    }
    if (keyword !== 'HELP' && keyword !== 'TYPE' && !(this.openMetrics && keyword === 'UNIT')) {
      if (this.openMetrics) this.fail('expected "# HELP", "# TYPE", "# UNIT" or "# EOF"', this.rest());
      return false; // a plain comment
    }
    if (!this.blank()) this.fail(`expected a metric name after # ${keyword}`, this.rest());
    const name = this.metricName();
    if (name === '') this.fail(`expected a metric name after # ${keyword}`, this.rest());
    let family = this.families.get(name);
    if (family === undefined) {
      family = { type: 'unknown', help: '', unit: '' };
      this.families.set(name, family);
    }
    if (keyword === 'HELP') {
      // The text may be empty; one separator before it is not part of it.
      if (this.pos < this.end && !this.blank()) this.fail('expected a space after the metric name', this.rest());
      family.help = this.helpText();
      return false;
    }
    if (!this.blank()) this.fail(`expected ${keyword === 'TYPE' ? 'a type' : 'a unit'} after the metric name`, this.rest());
    const value = text.slice(this.pos, this.end);
    this.pos = this.end;
    if (keyword === 'UNIT') {
      family.unit = value;
      return false;
    }
    const type = (this.openMetrics ? OPENMETRICS_TYPES : TEXT_TYPES)[this.openMetrics ? value : value.trimEnd()];
    if (type === undefined) this.fail(`unknown metric type for ${name}`, value);
    family.type = type;
    return false;
  }

  /** HELP text to the end of the line with its escapes: \\ and \n, and in OpenMetrics \" too. */
  private helpText(): string {
    const { text } = this;
    const start = this.pos;
    this.pos = this.end;
    // Search this line only (indexOf on `text` would scan the rest of the exposition on every HELP line).
    const raw = text.slice(start, this.end);
    const slash = raw.indexOf('\\');
    if (slash === -1) return raw;
    let out = '';
    let from = start;
    for (let i = start + slash; i < this.end; i++) {
      if (text.charCodeAt(i) !== BACKSLASH) continue;
      const c = text.charCodeAt(i + 1);
      const replaced = c === BACKSLASH ? '\\' : c === 110 ? '\n' : c === QUOTE && this.openMetrics ? '"' : undefined;
      if (replaced === undefined || i + 1 >= this.end) continue;
      out += text.slice(from, i) + replaced;
      from = i + 2;
      i++;
    }
    return out + text.slice(from, this.end);
  }

  private sample(): void {
    const { text, limits } = this;
    const name = this.metricName();
    if (name === '') this.fail('expected a metric name', this.rest());
    const labels: Record<string, string> = { __name__: name };
    // The text format allows blanks between the name and '{'; OpenMetrics does not.
    const afterName = this.pos;
    if (!this.openMetrics) this.skipBlanks();
    if (this.pos < this.end && text.charCodeAt(this.pos) === OPEN) {
      this.pos++;
      this.labelSet(labels, name);
    } else {
      this.pos = afterName;
    }
    if (!this.blank()) this.fail(this.pos === this.end ? `no value for ${name}` : `expected a space before the value of ${name}`, this.rest());
    const valueText = this.token();
    const value = parseGoFloat(valueText);
    if (value === undefined) this.fail(`invalid value for ${name}`, valueText);
    let timestampMs: number | undefined;
    if (this.blank() && this.pos < this.end && text.charCodeAt(this.pos) !== HASH) {
      const tsText = this.token();
      timestampMs = this.openMetrics ? secondsToMs(tsText) : parseIntMs(tsText);
      if (timestampMs === undefined) this.fail(`invalid timestamp for ${name}`, tsText);
      this.blank();
    }
    if (this.pos < this.end) {
      if (!this.openMetrics || text.charCodeAt(this.pos) !== HASH) this.fail(`unexpected text after the value of ${name}`, this.rest());
      this.exemplar(name);
    }
    if (limits.maxSamples > 0 && this.samples.length >= limits.maxSamples) this.fail(`more than ${limits.maxSamples} samples`);
    this.samples.push({ labels, value, timestampMs });
  }

  /** `{a="1",b="2"}` after the '{': fills `labels`, leaves pos after the '}'. */
  private labelSet(labels: Record<string, string>, metric: string): void {
    const { text, limits } = this;
    let count = 1;
    for (;;) {
      if (!this.openMetrics) this.skipBlanks();
      if (this.pos < this.end && text.charCodeAt(this.pos) === CLOSE) {
        this.pos++;
        return;
      }
      const start = this.pos;
      if (this.pos >= this.end || !isNameStart(text.charCodeAt(this.pos), false)) this.fail(`expected a label name or "}" in ${metric}`, this.rest());
      this.pos++;
      while (this.pos < this.end && isNameChar(text.charCodeAt(this.pos), false)) this.pos++;
      const labelName = text.slice(start, this.pos);
      if (labelName.length > limits.maxLabelNameLength) this.fail(`label name on ${metric} is longer than the limit of ${limits.maxLabelNameLength}`, labelName);
      if (!this.openMetrics) this.skipBlanks();
      if (this.pos >= this.end || text.charCodeAt(this.pos) !== EQUALS) this.fail(`expected "=" after label name ${labelName} in ${metric}`, this.rest());
      this.pos++;
      if (!this.openMetrics) this.skipBlanks();
      if (this.pos >= this.end || text.charCodeAt(this.pos) !== QUOTE) this.fail(`expected a quoted value for label ${labelName} in ${metric}`, this.rest());
      this.pos++;
      const value = this.labelValue(labelName, metric);
      if (value.length > limits.maxLabelValueLength) this.fail(`value of label ${labelName} on ${metric} is longer than the limit of ${limits.maxLabelValueLength}`);
      if (labelName in labels) this.fail(`label ${labelName} appears twice in ${metric}`);
      if (++count > limits.maxLabelsPerSeries) this.fail(`${metric} has more than the limit of ${limits.maxLabelsPerSeries} labels`);
      labels[labelName] = value;
      if (!this.openMetrics) this.skipBlanks();
      const c = this.pos < this.end ? text.charCodeAt(this.pos) : -1;
      if (c === COMMA) this.pos++;
      else if (c !== CLOSE) this.fail(`expected "," or "}" after the value of label ${labelName} in ${metric}`, this.rest());
    }
  }

  /** A label value after its opening quote, with \\, \" and \n unescaped; pos ends after the closing quote. */
  private labelValue(labelName: string, metric: string): string {
    const { text } = this;
    const start = this.pos;
    let out: string | undefined;
    let from = start;
    for (let i = start; i < this.end; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return out === undefined ? text.slice(start, i) : out + text.slice(from, i);
      }
      if (c !== BACKSLASH) continue;
      if (i + 1 >= this.end) break;
      const e = text.charCodeAt(i + 1);
      // Prometheus keeps an unknown escape as written.
      const replaced = e === BACKSLASH ? '\\' : e === QUOTE ? '"' : e === 110 ? '\n' : text.slice(i, i + 2);
      out = (out ?? '') + text.slice(from, i) + replaced;
      from = i + 2;
      i++;
    }
    return this.fail(`unterminated value of label ${labelName} in ${metric}`, text.slice(start - 1, this.end));
  }

  /** OpenMetrics: ` # {labels} value [timestamp]` after a sample, checked for its shape and dropped. */
  private exemplar(metric: string): void {
    const { text } = this;
    this.pos++; // '#'
    if (!this.blank() || this.pos >= this.end || text.charCodeAt(this.pos) !== OPEN) this.fail(`expected an exemplar "# {…} value" after the value of ${metric}`, this.rest());
    this.pos++;
    this.labelSet({}, `the exemplar of ${metric}`);
    if (!this.blank()) this.fail(`expected a value in the exemplar of ${metric}`, this.rest());
    const value = this.token();
    if (parseGoFloat(value) === undefined) this.fail(`invalid exemplar value for ${metric}`, value);
    if (this.blank() && this.pos < this.end) {
      const ts = this.token();
      if (secondsToMs(ts) === undefined) this.fail(`invalid exemplar timestamp for ${metric}`, ts);
    }
    if (this.pos < this.end) this.fail(`unexpected text after the exemplar of ${metric}`, this.rest());
  }

  private metricName(): string {
    const { text } = this;
    const start = this.pos;
    if (this.pos >= this.end || !isNameStart(text.charCodeAt(this.pos), true)) return '';
    this.pos++;
    while (this.pos < this.end && isNameChar(text.charCodeAt(this.pos), true)) this.pos++;
    return text.slice(start, this.pos);
  }

  /** Characters up to the next blank or the end of the line. */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.end && !isBlank(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Consumes the separator: one space in OpenMetrics, any run of blanks in the text format. False if there is none. */
  private blank(): boolean {
    if (this.pos >= this.end || !isBlank(this.text.charCodeAt(this.pos))) return false;
    if (this.openMetrics) {
      if (this.text.charCodeAt(this.pos) !== SPACE) return false;
      this.pos++;
      return true;
    }
    this.skipBlanks();
    return true;
  }

  private skipBlanks(): void {
    while (this.pos < this.end && isBlank(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private rest(): string {
    return this.text.slice(this.pos, Math.min(this.end, this.pos + 80));
  }

  private fail(problem: string, near?: string): never {
    throw new ExpositionError(this.lineNo, problem, near);
  }
}

/** OpenMetrics timestamps are float seconds; Prometheus keeps int64(seconds * 1000). */
function secondsToMs(text: string): number | undefined {
  const s = parseGoFloat(text);
  if (s === undefined || !Number.isFinite(s)) return undefined;
  return Math.trunc(s * 1000);
}
