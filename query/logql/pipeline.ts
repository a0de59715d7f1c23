import { RE2JS } from 're2js';
import type { Labels } from '../../core/index.js';
import { compileMatcher } from '../../storage/index.js';
import type { DropKeepStage, LabelFormatStage, ParserStage, Stage } from './ast.js';
import { flattenJson, parseJsonPath, readJsonPath } from './stages/jsonParser.js';
import { compileLabelFilter } from './stages/labelFilter.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL, setExtracted } from './stages/labelNames.js';
import { compileLineFilter } from './stages/lineFilter.js';
import { parseLogfmt } from './stages/logfmtParser.js';
import { compilePattern, matchPattern } from './stages/patternParser.js';
import { parseTemplate, renderTemplate } from './template.js';

/**
 * A log pipeline compiled into functions, one per stage, run line by line in order. A stage
 * changes the entry in place and returns false to drop the line. Labels start as a copy of the
 * stream's; extracted labels are added to them, as Loki's LabelsBuilder does.
 */
export interface Entry {
  line: string;
  readonly timeNs: bigint;
  readonly stream: Labels;
  labels: Record<string, string>;
}

type StageFn = (e: Entry) => boolean;

export type Pipeline = (line: string, timeNs: bigint, stream: Labels) => { line: string; labels: Record<string, string> } | undefined;

export function compilePipeline(stages: readonly Stage[]): Pipeline {
  const fns = stages.map(compileStage);
  return (line, timeNs, stream) => {
    const e: Entry = { line, timeNs, stream, labels: { ...stream } };
    for (const fn of fns) if (!fn(e)) return undefined;
    return { line: e.line, labels: e.labels };
  };
}

function compileStage(s: Stage): StageFn {
  switch (s.kind) {
    case 'lineFilter': {
      const test = compileLineFilter(s);
      return (e) => test(e.line);
    }
    case 'json':
      return jsonStage(s);
    case 'logfmt':
      return logfmtStage(s);
    case 'unpack':
      return unpackStage;
    case 'regexp': {
      const re = RE2JS.compile(s.pattern);
      const names = Object.entries(re.namedGroups());
      return (e) => {
        const m = re.matcher(e.line);
        if (!m.find()) return true;
        for (const [name, index] of names) setExtracted(e.labels, e.stream, name, m.group(index) ?? '');
        return true;
      };
    }
    case 'pattern': {
      const p = compilePattern(s.pattern);
      return (e) => {
        for (const [name, value] of matchPattern(p, e.line) ?? []) setExtracted(e.labels, e.stream, name, value);
        return true;
      };
    }
    case 'labelFilter': {
      const test = compileLabelFilter(s.filter);
      return (e) => test(e.labels);
    }
    case 'lineFormat': {
      const t = parseTemplate(s.template);
      return (e) => {
        e.line = renderOrError(e, () => renderTemplate(t, { labels: e.labels, line: e.line, timeNs: e.timeNs }), e.line);
        return true;
      };
    }
    case 'labelFormat':
      return labelFormatStage(s);
    case 'drop':
    case 'keep':
      return dropKeepStage(s);
    case 'decolorize':
      return (e) => {
        // ANSI CSI sequences (colours, cursor moves), as Loki's decolorize strips them.
        e.line = e.line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
        return true;
      };
  }
}

/** A template that fails at run time keeps the old value and marks the line, as Loki does. */
function renderOrError(e: Entry, render: () => string, fallback: string): string {
  try {
    return render();
  } catch (err) {
    e.labels[ERROR_LABEL] = 'TemplateFormatErr';
    e.labels[ERROR_DETAILS_LABEL] = err instanceof Error ? err.message : String(err);
    return fallback;
  }
}

const NOT_JSON = Symbol('not JSON');

/** The line as JSON, or NOT_JSON once it has set Loki's JSONParserErr labels on the entry. */
function parseJsonLine(e: Entry): unknown {
  try {
    return JSON.parse(e.line);
  } catch (err) {
    e.labels[ERROR_LABEL] = 'JSONParserErr';
    e.labels[ERROR_DETAILS_LABEL] = err instanceof Error ? err.message : String(err);
    return NOT_JSON;
  }
}

function jsonStage(s: ParserStage): StageFn {
  const paths = s.params.map((p) => ({ label: p.label, path: parseJsonPath(p.source) }));
  return (e) => {
    const value = parseJsonLine(e);
    if (value === NOT_JSON) return true;
    if (paths.length > 0) {
      for (const p of paths) {
        const v = readJsonPath(value, p.path);
        if (v !== undefined) setExtracted(e.labels, e.stream, p.label, v);
      }
      return true;
    }
    const fields = flattenJson(value);
    if (fields === undefined) {
      e.labels[ERROR_LABEL] = 'JSONParserErr';
      e.labels[ERROR_DETAILS_LABEL] = 'the line is not a JSON object';
      return true;
    }
    for (const [k, v] of fields) setExtracted(e.labels, e.stream, k, v);
    return true;
  };
}

function logfmtStage(s: ParserStage): StageFn {
  const wanted = new Map(s.params.map((p) => [p.source, p.label]));
  return (e) => {
    const { pairs, error } = parseLogfmt(e.line);
    if (error !== undefined) {
      e.labels[ERROR_LABEL] = 'LogfmtParserErr';
      e.labels[ERROR_DETAILS_LABEL] = error;
      if (s.strict) return true;
    }
    for (const [k, v] of pairs) {
      if (v === '' && !s.keepEmpty) continue;
      if (wanted.size === 0) setExtracted(e.labels, e.stream, k, v);
      else {
        const label = wanted.get(k);
        if (label !== undefined) setExtracted(e.labels, e.stream, label, v);
      }
    }
    return true;
  };
}

/** `| unpack`: the labels Promtail's pack stage put in a JSON line, and `_entry` back as the line. */
const unpackStage: StageFn = (e) => {
  const value = parseJsonLine(e);
  if (value === NOT_JSON) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    if (k === '_entry') e.line = v;
    else setExtracted(e.labels, e.stream, k, v);
  }
  return true;
};

function labelFormatStage(s: LabelFormatStage): StageFn {
  const items = s.items.map((i) => ({ dst: i.dst, rename: i.rename, template: i.template === undefined ? undefined : parseTemplate(i.template) }));
  return (e) => {
    // Every item reads the labels as they were before this stage.
    const before = { ...e.labels };
    for (const i of items) {
      if (i.rename !== undefined) {
        const v = before[i.rename];
        if (v === undefined) continue;
        delete e.labels[i.rename];
        e.labels[i.dst] = v;
      } else if (i.template !== undefined) {
        const t = i.template;
        e.labels[i.dst] = renderOrError(e, () => renderTemplate(t, { labels: before, line: e.line, timeNs: e.timeNs }), before[i.dst] ?? '');
      }
    }
    return true;
  };
}

function dropKeepStage(s: DropKeepStage): StageFn {
  const items = s.items.map((i) => ({ name: i.name, test: i.matcher === undefined ? undefined : compileMatcher(i.matcher) }));
  if (s.kind === 'drop') {
    return (e) => {
      for (const i of items) {
        const v = e.labels[i.name];
        if (v !== undefined && (i.test === undefined || i.test(v))) delete e.labels[i.name];
      }
      return true;
    };
  }
  return (e) => {
    const kept: Record<string, string> = {};
    for (const i of items) {
      const v = e.labels[i.name];
      if (v !== undefined && (i.test === undefined || i.test(v))) kept[i.name] = v;
    }
    e.labels = kept;
    return true;
  };
}
